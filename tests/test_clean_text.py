"""Text mode's segmentation: a text dump's lines rebuilt into paragraphs before they are judged,
so that a paragraph wrapped at 72 columns or split inside a sentence reads as the prose it is."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searcher.clean import clean
from searcher.clean.blocks import normalize, text_paragraphs
from searcher.models import SourceDocument

PARAGRAPH = (
    "Dockers at the country's three largest ports voted on Tuesday to accept a new pay offer, ending a "
    "strike that had lasted nine days and left supermarkets in the north with empty shelves for a week."
)
SECOND = (
    "The agreement gives about 4,000 workers a seven percent rise over two years, the union said after "
    "the vote was counted late on Tuesday night in the port's old customs hall."
)


def clean_text(text: str):  # noqa: ANN201 - a CleanedDocument
    return clean(SourceDocument(id="t", path=Path("t.txt"), kind="text", content=text))


def texts(text: str) -> list[str]:
    return [block.text for block in text_paragraphs(text)]


def test_a_paragraph_wrapped_at_a_column_is_one_block():
    dump = f"{textwrap.fill(PARAGRAPH, 72)}\n\n{textwrap.fill(SECOND, 72)}\n"
    assert texts(dump) == [PARAGRAPH, SECOND]


def test_a_line_of_zero_width_spaces_is_a_blank_line():
    """A page's spacer paragraphs (a zero-width space, a joiner) saved as text show nothing: they
    part two paragraphs as a blank line does, and are no block of furniture between them."""
    blocks = text_paragraphs(f"{PARAGRAPH}\n\u200b\n{SECOND}\n\u200d\u200b\n")
    assert [block.text for block in blocks] == [PARAGRAPH, SECOND]
    assert blocks[0].followed_by_blank


def test_an_indented_line_opens_a_new_wrapped_paragraph():
    """Newswire marks a paragraph by indenting its first line, with no blank line between."""
    first, second = textwrap.wrap(PARAGRAPH, 66), textwrap.wrap(SECOND, 66)
    wire = "\n".join([*first, "    " + second[0], *second[1:]])
    assert texts(wire) == [PARAGRAPH, SECOND]


def test_a_sentence_split_over_lines_is_joined():
    """A <br> or an inline box inside a sentence puts its rest on a line of its own."""
    lines = "Ut enim ad minim veniam,\nquis nostrud exercitation ullamco laboris\nnisi ut aliquip ex ea commodo."
    assert texts(lines) == [
        "Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo."
    ]


def test_a_handle_below_a_comments_signature_does_not_continue_it():
    """A lower-case line continues an unfinished one, but not a signature: the next comment's author."""
    assert texts("Nov 3, 2025 8:14 AM reply\nby annaf on\nWill they keep the late boat?") == [
        "Nov 3, 2025 8:14 AM reply",
        "by annaf on",
        "Will they keep the late boat?",
    ]


def test_a_line_starting_with_closing_punctuation_continues_the_one_above():
    assert texts("The minister, who spoke in Ankara\n, said talks would go on.") == [
        "The minister, who spoke in Ankara , said talks would go on."
    ]


def test_list_items_menu_lines_and_sentences_stay_apart():
    menu = "Home\nnews\nsport\nAbout us\ncontact"
    assert texts(menu) == ["Home", "news", "sport", "About us", "contact"]
    items = "The union asked for three things:\n* a seven percent rise\n* shorter shifts\n1. no layoffs"
    assert len(texts(items)) == 4
    sentences = "The strike is over.\nships are docking again.\nThe first arrived at dawn."
    assert len(texts(sentences)) == 3


def test_a_headline_line_above_a_wrapped_story_stays_a_headline():
    dump = "Port strike ends as dockers accept pay offer\n\n" + textwrap.fill(PARAGRAPH, 72) + "\n\n"
    dump += textwrap.fill(SECOND, 72) + "\n"
    result = clean_text(dump)
    assert result.title == "Port strike ends as dockers accept pay offer"
    assert result.title_is_headline


def test_a_wrapped_story_is_kept_whole_and_given_back_as_its_lines():
    """Each paragraph is judged whole; what is kept is the user's own lines, unjoined."""
    menu = "Skip to content\nHome\nWorld\nBusiness\nSport\nSubscribe\n\n"
    wrapped = textwrap.wrap(PARAGRAPH, 72) + [""] + textwrap.wrap(SECOND, 72)
    footer = "\n\nAbout us\nContact\nPrivacy policy\n"
    result = clean_text(menu + "\n".join(wrapped) + footer)
    assert list(result.paragraphs) == [line for line in wrapped if line]
    assert "Privacy policy" not in result.body


def test_short_lines_of_similar_length_are_not_taken_for_a_wrapped_text():
    lines = "The ministry confirmed the sale.\nOfficials declined to comment further...\nmaria in: Pipeline politics"
    assert len(texts(lines)) == 3


def test_a_word_hyphenated_at_the_wrap_column_is_joined_whole():
    words = "The port authority said the newly-built container terminal would open in the spring of next year."
    dump = "\n".join(textwrap.wrap(words * 3, 60, break_on_hyphens=True))
    assert "newly-built" in texts(dump)[0]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab ,.-*\t\n\r1A\u3002\x00"), max_size=90), max_size=30))
def test_any_lines_are_segmented_and_cleaned_without_raising_or_losing_a_character(lines: list[str]):
    text = "\n".join(lines)
    blocks = text_paragraphs(text)
    assert all("\n" not in block.text for block in blocks)
    assert "".join(block.text for block in blocks).replace(" ", "") == normalize(text).replace(" ", "")
    result = clean_text(text)
    assert all("\n" not in paragraph for paragraph in result.paragraphs)


def test_a_chinese_story_between_menu_lines_is_found():
    """CJK prose has no spaces: its paragraphs must not count as one word each, or the menus win."""
    menu = "\n".join(["首页", "新闻", "体育", "财经", "科技", "娱乐", "关于我们 | 联系我们 | 法律声明 | 网站地图"])
    story = [
        "宇航员在国际空间站上不允许喝酒，因为酒精和其它挥发性化合物可能对空间站的水回收系统产生影响。",
        "研究人员发现，酒精的影响与海拔高度无关，无论参与测试的人员在什么高度喝酒，读数都是一样的。",
        "然而，尽管有严格的规则，空间站上仍然进行了大量有关酒精的实验，但没有人真正了解其中的反应。",
    ]
    result = clean_text(f"{menu}\n" + "\n".join(story) + f"\n{menu}\n")
    assert list(result.paragraphs) == story


TOOL = (
    "Every electrician carries {name} in the truck, because a job that needs them cannot wait for a trip "
    "to the store, and the cheap ones wear out within a season of daily use. Buy a pair with insulated "
    "handles rated for a thousand volts, keep them dry, and replace them as soon as the grip cracks or "
    "the joint starts to wobble: a worn tool slips, and a slip near a live wire is how most burns happen."
)


def test_a_guide_whose_items_are_parted_by_short_lines_is_kept_whole():
    """A guide's items each end in a price and where to buy: short lines, but not where it ends."""
    names = ["pliers", "wire cutters", "a crimping tool", "a voltage tester", "a fish tape", "a stud finder"]
    items = []
    for number, name in enumerate(names, 1):
        text = " ".join([TOOL.format(name=name)] * (3 if number == 1 else 1))  # the first item says most
        items += [f"{number}. {name.title()}", text, "Plan to spend: $10-$80"]
        items += ["Buying options:", "Amazon (Klein Tools)", "Amazon (Ideal)", "Home Depot (Commercial)"]
    result = clean_text("Home\nTools\nGuides\n" + "\n".join(items) + "\nAbout us\nContact\nPrivacy policy\n")
    for name in names[1:]:
        assert TOOL.format(name=name) in result.paragraphs


def test_a_changelog_of_plus_and_dash_items_is_kept_with_the_story():
    """Plain-text bullets ("+ Added ...", "- Fixed ...") mark a list's items as "*" does: a
    release's thirty changes, a blank line between them, are the story, not furniture."""
    changes = [f"+ Added the {name} block, with its smooth and polished versions" for name in ("granite", "slate")] * 10
    fixes = [f"- Fixed a crash when loading worlds saved in version 1.{n}" for n in range(10)]
    lines = ["News", "Powered by Tumblr", PARAGRAPH, *changes, *fixes, SECOND, "Archive", "RSS"]
    kept = clean_text("\n\n".join(lines) + "\n").paragraphs
    assert set(changes) | set(fixes) <= set(kept)


def test_a_table_copied_from_a_browser_stays_in_the_story():
    """A browser copies a table's row with a tab between its cells: rows of pros and cons, long
    and unfinished like menu lines, are the story's table, and the story goes on below it."""
    rows = [
        "Pros\tCons",
        *[
            f"Adapts to the changing needs of {name}\tMay lead to scope creep"
            for name in ("clients", "teams", "owners", "users", "vendors", "partners", "managers", "testers")
        ],
    ]
    after = [SECOND, TOOL.format(name="pliers")]
    lines = ["Home", "Services", "Blog", PARAGRAPH, "Pros and cons", *rows, "", *after, "Contact us"]
    kept = clean_text("\n".join(lines) + "\n").paragraphs
    assert PARAGRAPH in kept and set(after) <= set(kept)
    assert len([text for text in kept if "scope creep" in text]) == 8


def test_a_listicles_items_shrinking_down_the_page_are_all_kept():
    """Each item of a list article, between lists of short lines, holds more than half as much as
    the item above it, though the last holds less than half of the first."""
    pros = [
        "Pros",
        "Fast setup",
        "Good support",
        "Fair prices",
        "Cons",
        "Slow reports",
        "No app",
        "Few plans",
        "Pricing",
    ]

    def item(n: int, paragraphs: int) -> list[str]:
        return [f"{n}. Agency {n}", *[TOOL.format(name=f"tool {n}.{k}") for k in range(paragraphs)], *pros]

    lines = [*item(1, 7), *item(2, 4), *item(3, 3), "About us", "Contact"]
    kept = clean_text("\n".join(lines) + "\n").paragraphs
    assert TOOL.format(name="tool 3.2") in kept


def test_a_storys_opening_above_a_chart_stays_with_the_rest_of_it():
    """A chart's figures (or an inset box) a line each part a story's first paragraphs from the
    rest, which says more: the opening is the same story, not a part the crop may leave."""
    chart = ["Interest payments on the national debt", "$900", "billion", "600", "300", "0", "’17", "’18", "’19", "’20"]
    rest = [TOOL.format(name=name) for name in ("pliers", "wire cutters", "a crimping tool", "a fish tape")]
    lines = ["Home", "World", "Business", PARAGRAPH, SECOND, *chart, *rest, "About us", "Contact", "Privacy policy"]
    result = clean_text("\n".join(lines) + "\n")
    assert list(result.paragraphs) == [PARAGRAPH, SECOND, *chart, *rest]


def test_a_run_of_furniture_the_rules_drop_still_ends_the_story():
    story = [TOOL.format(name=name) for name in ("pliers", "wire cutters", "a crimping tool", "a fish tape")]
    furniture = ["Share this article", "Facebook", "Twitter", "Email", "Print", "Most read"]
    teaser = "Ferry fares are to rise in April, the operator said, after fuel costs rose by a third this winter."
    result = clean_text("\n".join([*story, *furniture, teaser]) + "\n")
    assert story[-1] in result.paragraphs
    assert teaser not in result.paragraphs


def test_sentences_a_line_of_similar_length_are_not_taken_for_a_wrapped_text():
    """Lines ending near one column but closing sentences are a sentence a line, not a wrap."""
    sentence = "The ministry confirmed the sale of the two frigates on Monday."
    lines = [sentence, sentence, "Prices rose", sentence, "Prices rose"]
    assert texts("\n".join(lines)) == lines


COMMENTS = [
    "It is about time the port paid its people properly, they keep the whole town running and nobody "
    "thanks them for it until the shelves are empty. Good on them for holding out as long as they did.",
    "Nine days of empty shelves was a small price for a fair deal, if you ask me, and the owners could "
    "have settled in the first week if they had wanted to. They chose not to, and now they have lost.",
    "The union will be back next year asking for more, mark my words on that one. Seven percent over two "
    "years sounds like a lot until you look at what rents in the harbour towns have done since then.",
]


def story_with_thread(signatures: list[str], byline: str = "") -> tuple[list[str], str]:
    """A scraped page: a story, then a readers' thread with no heading, each comment under its
    signature (comments as long as the story's paragraphs, so that prose alone cannot tell them)."""
    story = [byline, PARAGRAPH, SECOND] if byline else [PARAGRAPH, SECOND]
    thread = [line for pair in zip(signatures, COMMENTS, strict=True) for line in pair]
    return story, "\n".join([*story, *thread, "About us", "Contact"]) + "\n"


def test_a_thread_of_comments_signed_with_their_dates_goes():
    signatures = [f"{name} on March {day}, 2019 at 4:47 pm said:" for name, day in (("Ann", 3), ("Bo", 4), ("Cy", 5))]
    story, text = story_with_thread(signatures)
    result = clean_text(text)
    assert list(result.paragraphs) == story
    assert {b.reason for b in result.dropped if b.text in COMMENTS} == {"comment section"}


def test_a_thread_scored_as_on_slashdot_goes():
    signatures = ["(Score:5, Insightful)", "(Score:2)", "(Score:4, Funny)"]
    story, text = story_with_thread(signatures)
    assert list(clean_text(text).paragraphs) == story


@pytest.mark.parametrize(
    "signatures",
    [
        ["Aug 9, 2012 1:14 PM EDT reply", "Aug 9, 2012 1:15 PM EDT reply", "Aug 9, 2012 1:29 PM EDT | Reply"],
        ["3 hours ago Reply", "5 hours ago Reply", "1 day ago Reply"],
        ["Posted by: Ann at March 3, 2019 11:40 AM", "Bo | 4 March 2019", "Cy said on March 5, 2019"],
        ["Ann Lee 07.19.12 at 07:57", "Bo 07.19.12 at 09:12", "cy_1982 07.20.12 at 11:03"],
        ["Ann Lee 12 days ago", "Bo 11 days ago", "Cy 10 days ago"],
        ["1. Ann Lee - August 8, 2012", "2. Bo - August 8, 2012", "3. Cy - August 9, 2012"],
        [
            f"Comment #{n} - Posted by: {name} at November 10, 2012 5:39 PM"
            for n, name in ((1, "Ann"), (2, "Bo"), (3, "Cy"))
        ],
        ["http://ann.example.com/ ann", "http://www.facebook.com/bo.k Bo K", "www.cy.example.org Cy"],
    ],
)
def test_a_thread_signed_with_the_time_of_each_reply_or_as_html_signs_it_goes(signatures: list[str]):
    """When each comment was posted, before its "Reply"; or the signatures the HTML rules know."""
    story, text = story_with_thread(signatures)
    assert list(clean_text(text).paragraphs) == story


def test_a_line_of_news_dated_like_a_signature_stays_when_no_others_follow():
    """One "NAME DATE" line is a byline or a dated note, not a thread: only three signed alike are."""
    lines = [PARAGRAPH, "Jane Doe July 12, 2019 10:00", SECOND]
    assert list(clean_text("\n".join(lines) + "\n").paragraphs) == lines


@pytest.mark.parametrize("heading", ["{ 3 comments }", "{ 3 comments… read them below or add one }", "Comments»"])
def test_a_comment_sections_heading_in_braces_or_with_a_guillemet_opens_it(heading: str):
    """As a theme prints the count ("{ 3 comments }"), or a link's arrow after the word."""
    thread = [line for name, comment in zip(("Ann", "Bo", "Cy"), COMMENTS, strict=True) for line in (name, comment)]
    result = clean_text("\n".join([PARAGRAPH, SECOND, TOOL.format(name="pliers"), heading, *thread]) + "\n")
    assert not set(COMMENTS) & set(result.paragraphs)
    assert {b.reason for b in result.dropped if b.text in COMMENTS} == {"comment section"}


def test_a_comments_link_in_the_toolbar_above_the_story_does_not_drop_the_story():
    """ "Comments" over a row of menu lines, with more prose below than above (a box of other
    stories above the toolbar), is a link among the story's tools, not a thread's heading."""
    above = [PARAGRAPH, SECOND, TOOL.format(name="pliers"), TOOL.format(name="a hammer")]
    toolbar = ["Comments", "Weigh In", "Corrections?", "E-mail", "Print"]
    story = [TOOL.format(name=name) for name in ("wire cutters", "a level", "a torch")]
    result = clean_text("\n".join([*above, *toolbar, *story]) + "\n")
    assert set(story) <= set(result.paragraphs)


def test_the_same_heading_over_a_form_below_the_story_still_opens_the_section():
    """Below the story, a heading over form lines and the footer is the comment section's."""
    story = [PARAGRAPH, SECOND, TOOL.format(name="pliers"), TOOL.format(name="a hammer")]
    form = ["Comments", "Name", "Email", "Website", "Post comment", COMMENTS[0]]
    result = clean_text("\n".join([*story, *form]) + "\n")
    assert COMMENTS[0] not in result.paragraphs


@pytest.mark.parametrize(
    "heading",
    [
        "Leave a Reply Cancel reply",
        "Kommentar verfassen Antwort abbrechen",
        "Laisser un commentaire Annuler la réponse",
    ],
)
def test_a_comment_forms_title_with_its_cancel_link_opens_the_section(heading: str):
    """A WordPress comment form's title, its "Cancel reply" link joined on in the text: the form
    and the recent-comments widget under it, however much prose they hold, are no story."""
    story = [PARAGRAPH, SECOND]
    form = [heading, "Name", "Email", "Save my name, email, and website in this browser for the next time I comment."]
    widget = [
        f"{name} on Port strike ends after nine days: “{text}”"
        for name, text in zip("ABCDEF", COMMENTS * 2, strict=True)
    ]
    result = clean_text("\n".join([*story, *form, "Recent Comments", *widget]) + "\n")
    assert list(result.paragraphs) == story


def test_a_comment_forms_title_below_a_short_post_drops_the_form_and_not_the_post():
    """Below a post of twenty words, the form's lines (its field labels, then more prose than the
    post: the tags a comment may use, the e-mail notices) are no toolbar and no story."""
    post = "Here is a quick recap of the keynote: a new tablet, a media player and a browser for phones were shown."
    form = ["Leave a Reply Cancel reply", "Your email address will not be published.", "Name *", "Email *", "Website"]
    notices = [
        'You may use these HTML tags and attributes: <a href="" title=""> <abbr title=""> <b> <blockquote cite="">',
        "Notify me of follow-up comments by email.",
        "Notify me of new posts by email.",
    ]
    result = clean_text("\n".join(["Home", "Previous post", post, *form, "Comment", *notices]) + "\n")
    assert list(result.paragraphs) == [post]


@pytest.mark.parametrize(
    "form",
    [
        ["Leave a Reply", "Your email address will not be published. Required fields are marked *", "Name *"],
        ["Comments", "Verify your Comment", "This is only a preview. Your comment has not yet been posted."],
        [
            "Schreibe einen Kommentar",
            "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind markiert",
        ],
        ["{ 0 comments… add one now }", "Name", "E-mail", 'You may use these HTML tags and attributes: <a href="">'],
        ["blog comments powered by Disqus"],
        [
            "Hinterlasse einen Kommentar",
            "Möchtest du eigene Bilder anhängen?",
            "Meinen Namen, Email und Website in diesem Browser speichern, bis ich wieder kommentiere.",
        ],
        ["Enregistrer mon nom, mon e-mail et mon site dans le navigateur pour mon prochain commentaire."],
        ["Guardar mi nombre, correo electrónico y web en este navegador para la próxima vez que comente."],
    ],
)
def test_a_comment_form_that_speaks_of_itself_goes_with_all_below_it(form: list[str]):
    """A form saying what it does with the reader's comment, under a short post: the form, the
    comments and the sidebar of recent ones below it are no story, however much prose they hold."""
    post = "The university is hiring: a faculty position in its centre for knowledge, open to philosophers."
    below = ["Recent Comments", *COMMENTS, "About us"]
    result = clean_text("\n".join(["Home", post, *form, *below]) + "\n")
    assert list(result.paragraphs) == [post]


def test_comments_signed_otherwise_between_two_runs_of_signatures_go_with_the_thread():
    """Commenters who left a website are signed by its link, the others by their name alone: the
    comments between two runs of linked signatures belong to the same thread."""
    linked = ["http://ann.example.com/ Ann", "http://www.facebook.com/bo.k Bo K", "www.cy.example.org Cy"]
    unlinked = [line for name in ("Dee", "Ed", "Flo") for line in (name, COMMENTS[len(name) % 3])]
    thread = [line for pair in zip(linked, COMMENTS, strict=True) for line in pair]
    lines = [PARAGRAPH, SECOND, *thread, *(unlinked * 4), *thread, "About us"]
    result = clean_text("\n".join(lines) + "\n")
    assert list(result.paragraphs) == [PARAGRAPH, SECOND]


def test_a_count_of_no_comments_under_a_post_does_not_drop_the_next_post():
    """A blog's front page saved as text: "Comments (0)" under each post heads no thread."""
    first = [PARAGRAPH, SECOND, TOOL.format(name="pliers"), TOOL.format(name="a hammer")]
    posts = [*first, "Comments (0)", TOOL.format(name="wire cutters")]
    result = clean_text("\n".join(posts) + "\n")
    assert posts[-1] in result.paragraphs


def test_a_comment_count_closing_a_post_on_a_blogs_front_page_does_not_drop_the_next_post():
    """ "4 comments" over the next post's date and headline closes a post; it heads no thread."""
    first = [PARAGRAPH, SECOND, TOOL.format(name="pliers"), TOOL.format(name="a hammer")]
    second = [TOOL.format(name="wire cutters"), TOOL.format(name="a level")]
    footer, next_post = ["posted by Ann @ 10:48 PM", "4 comments"], ["Friday, August 18, 2006", "Tools for the winter"]
    page = [*first, *footer, *next_post, *second]
    result = clean_text("\n".join(page) + "\n")
    assert set(second) <= set(result.paragraphs)


@pytest.mark.parametrize(
    "banner",
    [
        [
            "This website uses cookies to improve your experience. We'll assume you're ok with this.",
            "Necessary cookies are absolutely essential for the website to function properly.",
        ],
        [
            "Diese Website verwendet Cookies, damit wir Dir die bestmögliche Benutzererfahrung bieten können.",
            "Wir verwenden Technologien wie Cookies, um Geräteinformationen zu speichern und darauf zuzugreifen.",
            "Cookie-Zustimmung verwalten",
        ],
        ["Nous utilisons des cookies pour vous garantir la meilleure expérience sur notre site web."],
        ["Utilizamos cookies propias y de terceros para mejorar nuestros servicios."],
        ["Questo sito utilizza cookie tecnici e di profilazione."],
    ],
)
def test_a_cookie_banners_text_goes_and_a_story_about_cookies_stays(banner: list[str]):
    """The site speaking of its own cookies is its banner (in the sets' languages); a story may
    speak of them too."""
    story = "Regulators said the website must ask before it sets cookies, and fined its owner for failing to."
    result = clean_text("\n".join([PARAGRAPH, story, SECOND, *banner]) + "\n")
    assert story in result.paragraphs
    assert {b.reason for b in result.dropped if b.text in banner} == {"cookie notice"}


def test_a_thread_headed_by_its_count_goes_though_a_date_and_a_name_or_the_sidebar_come_first():
    """ "3 Responses to “...”" over a comment's day and its author, and "3 Comments" over the
    sidebar's lines with a long thread below them, head a thread, not a toolbar or the next post."""
    story = [PARAGRAPH, SECOND, TOOL.format(name="pliers"), TOOL.format(name="a hammer")]
    long_comments = [" ".join([comment] * 3) for comment in COMMENTS]
    names = ("Ann Lee", "Bo Kim", "Cy Ode")
    thread = [line for name, c in zip(names, long_comments, strict=True) for line in ("May 3, 2019", name, c)]
    sidebar = ["Tweet", "Subscribe here", "Top Posts", "Categories", "Archives"]
    for heading in (["3 Responses to “Dockers accept pay offer”"], ["3 Comments", *sidebar]):
        result = clean_text("\n".join([*story, *heading, *thread]) + "\n")
        assert not set(long_comments) & set(result.paragraphs), heading[0]


def test_the_first_comment_above_its_reply_goes_with_the_thread():
    """A "Reply" closes each comment here: the first comment's author, date and words above the first
    "Reply" are the thread's, however long (a long first comment was once kept as the story)."""
    thread = []
    for name, day, comment in zip(("Ann", "Bo", "Cy"), (3, 4, 5), COMMENTS, strict=True):
        thread += [name, f"March {day}, 2019 at 9:39 pm", comment + " " + comment, "Reply"]
    result = clean_text("\n".join(["Home", "News", PARAGRAPH, SECOND, *thread, "About us", "Contact"]) + "\n")
    assert list(result.paragraphs) == [PARAGRAPH, SECOND]


def test_a_timeline_of_dated_paragraphs_is_not_a_thread():
    """A date on a line of its own signs nothing: a story's timeline keeps its entries."""
    entries = [line for day, text in zip((3, 4, 5), COMMENTS, strict=True) for line in (f"March {day}, 2019", text)]
    result = clean_text("\n".join([PARAGRAPH, SECOND, *entries]) + "\n")
    assert set(COMMENTS) <= set(result.paragraphs)


def test_the_storys_own_byline_does_not_open_the_thread():
    """A byline of a kind no comment is signed with stands alone: the story under it stays."""
    signatures = ["annie says:", "bo_k says:", "cy1982 says:"]
    byline = "Posted by Jane Doe on November 19, 2019, 6:21 AM EST"
    _, text = story_with_thread(signatures, byline)
    result = clean_text(text)
    assert PARAGRAPH in result.paragraphs and SECOND in result.paragraphs
    assert not set(COMMENTS) & set(result.paragraphs)


def test_a_story_quoting_people_on_lines_of_their_own_is_kept_whole():
    quotes = ["The minister said:", "“We will not give in.”", "The union's leader said:", "“Nor will we.”"]
    lines = [PARAGRAPH, *quotes, "Reply", SECOND, "Reply"]
    result = clean_text("\n".join(lines) + "\n")
    assert PARAGRAPH in result.paragraphs and SECOND in result.paragraphs
    assert "“Nor will we.”" in result.paragraphs


def test_a_text_that_is_a_thread_from_its_first_line_keeps_its_posts():
    """A forum's page saved as text is its own content: no story lies above the thread."""
    signatures = [f"{name} | 12 May 2019 | Reply" for name in ("ann", "bo", "cy")]
    posts = [PARAGRAPH, SECOND, TOOL.format(name="pliers")]
    lines = [line for pair in zip(signatures, posts, strict=True) for line in pair]
    result = clean_text("\n".join(lines) + "\n")
    assert set(posts) <= set(result.paragraphs)


def test_pointers_to_other_articles_in_the_sets_languages_go():
    """A page marks these by their links, which its text no longer shows."""
    pointers = [
        "Lea también: Impiden ingreso a Nicaragua a reportero estadounidense",
        "Lesen Sie auch: Die Energiewende braucht mehr Netze",
        "À lire aussi : La grève des dockers est terminée",
    ]
    lines = [PARAGRAPH, pointers[0], SECOND, pointers[1], PARAGRAPH.replace("Tuesday", "Monday"), pointers[2]]
    result = clean_text("\n".join(lines) + "\n")
    assert not set(pointers) & set(result.paragraphs)
    assert PARAGRAPH in result.paragraphs and SECOND in result.paragraphs


def test_a_sentence_starting_with_a_pointers_word_stays():
    sentence = "Lesen Sie auch den Bericht der Kommission, der am Dienstag erschienen ist und die Häfen nennt."
    result = clean_text("\n".join([PARAGRAPH, sentence, SECOND]) + "\n")
    assert sentence in result.paragraphs


@pytest.mark.parametrize(
    "furniture",
    [
        "Share this:",
        "* Facebook",
        "* WhatsApp",
        "Gefällt mir:",
        "Schlagwörter:",
        "Kommentar verfassen",
        "This entry was posted in News and tagged ports, strikes. Bookmark the permalink.",
        "* Artikel teilen",
        "Rezept drucken",
        "Partager cet article",
        "Teilen Sie dies mit:",
        "Anzeige",
        "Advertisement",
        "Continue reading the main story",
        "This video is playable across all supported devices.",
        "View this post on Instagram",
        "Thank you! Your submission has been received!",
    ],
)
def test_share_like_and_tag_lines_go_with_or_without_a_text_browsers_bullet(furniture: str):
    """Between two paragraphs of the story, where the crop alone keeps them: share and tag lines,
    an advertisement's label, a video's or an embedded post's caption, a form's replies."""
    result = clean_text("\n".join([PARAGRAPH, furniture, SECOND, SECOND.replace("4,000", "5,000")]) + "\n")
    assert furniture not in result.paragraphs
    assert PARAGRAPH in result.paragraphs and SECOND in result.paragraphs


def test_a_related_list_goes_with_its_heading_title_cased_headlines_included():
    """Title-cased headlines ending in a question mark read as sentences, but not as prose."""
    related = ["Ähnliche Beiträge", "Do Big Storms Hurt the Economy?", "Thirteen American Cities Going Broke"]
    result = clean_text("\n".join([PARAGRAPH, SECOND, *related]) + "\n")
    assert list(result.paragraphs) == [PARAGRAPH, SECOND]
    assert {b.reason for b in result.dropped if b.text in related} == {"related link"}


@pytest.mark.parametrize(
    "heading",
    [
        "Siehe auch",
        "Leia mais:",
        "Lees ook",
        "Vous aimerez aussi",
        "Die meistgelesenen Artikel bei SWR.de/Sport",
        "Les plus lus",
        "Lo más leído",
    ],
)
def test_the_related_markers_html_knows_head_a_list_in_text_too(heading: str):
    """The languages' tables in rules.py, which the HTML rules read, say so for a text as well."""
    related = [heading, "Do Big Storms Hurt the Economy?", "Thirteen American Cities Going Broke"]
    result = clean_text("\n".join([PARAGRAPH, SECOND, *related]) + "\n")
    assert list(result.paragraphs) == [PARAGRAPH, SECOND]
    assert {b.reason for b in result.dropped if b.text in related} == {"related link"}


def test_teasers_below_a_related_heading_do_not_join_the_story():
    teasers = [
        "In a recently resurfaced interview, the actor speaks about the film and what he learned from playing it.",
        "Illinois became the last state to pass a law permitting residents to carry concealed firearms on Tuesday.",
    ]
    furniture = ["Share this with friends", "Twitter", "Facebook", "Reddit", "Pinterest", "Related Stories"]
    lines = [PARAGRAPH, SECOND, *furniture, "Illinois Allows Concealed Carry", teasers[0], "Clare Kim", teasers[1]]
    result = clean_text("\n".join(lines) + "\n")
    assert PARAGRAPH in result.paragraphs
    assert not set(teasers) & set(result.paragraphs)


def test_title_case_is_told_from_prose():
    from searcher.clean.text import is_title_cased

    assert is_title_cased("Do Big Storms Hurt the Economy?")
    assert not is_title_cased("Die Bundesregierung hat am Dienstag beschlossen, dass die Steuern steigen.")
    assert not is_title_cased("The ministry confirmed the sale on Monday.")


def test_a_sidebars_long_title_cased_headlines_do_not_outweigh_a_one_paragraph_story():
    """Headlines of fifteen words and more, Capitalised Like Titles, in a "Most Popular" box: as
    long as prose, but no story's sentences; the one paragraph of a short post is the story."""
    headlines = [
        "Photo of Famous Actress Looking at Her Friend's New Baby Sure to Make Everyone Think She Wants One",
        "Protesters Against the New Marriage Law Spew Hateful Slogans, Two Women Respond by Kissing in Front of Them",
        "Mayor Says the City Is Ready for the Storm of the Century as Residents Stock Up on Water and Batteries",
        "This Cat's Halloween Costume Is Way Better Than Your Halloween Costume, and Here Are Ten Photos to Prove It",
    ]
    sidebar = [line for headline in headlines for line in (headline, "9:45 PM", "0")]
    lines = ["Share", "Facebook", "Twitter", PARAGRAPH, "Email", "Most Popular", *sidebar, "Help", "Subscribe"]
    assert list(clean_text("\n".join(lines) + "\n").paragraphs) == [PARAGRAPH]


def test_a_line_of_link_texts_run_together_does_not_outweigh_the_story():
    """A filter's options saved without the breaks between them ("3D printingAcademic
    partnershipsChatbot..."): hundreds of words, none of them prose."""
    topics = ["3D printing", "Academic partnerships", "Chatbot", "Agronomy", "Decision support", "Theory of games"]
    options = "".join(f"{topic} {n}" if n % 2 else topic for n, topic in enumerate(topics * 12))
    lines = ["Home", "Research", PARAGRAPH, SECOND, "Publications", "Follow us", "Keywords", options, "Contact"]
    assert list(clean_text("\n".join(lines) + "\n").paragraphs) == [PARAGRAPH, SECOND]


def test_brand_names_run_together_in_prose_stay_prose():
    from searcher.clean.text import glues_links

    assert not glues_links("They post on LinkedIn, YouTube and TikTok every day, and answer questions on Facebook.")
    assert glues_links("AllePanoramaGesellschaftJustizNatur und UmweltSportFußballBasketballMehr SportPolitik")


def test_a_storys_last_paragraph_saying_i_found_this_stays_above_its_comments():
    """ "So I found this experience unique" is the writer's own sentence, not a comment's "I found
    this blog": the story's last paragraph stays, and the comments under their heading go."""
    last = "Very few hotels engage this way. So I found this experience unique and delightful, and I said so."
    byline = "Posted by Ann Lee on October 04, 2012 | Permalink"
    thread = [line for name, comment in zip(("Ann", "Bo", "Cy"), COMMENTS, strict=True) for line in (name, comment)]
    lines = [PARAGRAPH, SECOND, TOOL.format(name="pliers"), last, byline, "Comments", *thread]
    result = clean_text("\n".join(lines) + "\n")
    assert last in result.paragraphs
    assert not set(COMMENTS) & set(result.paragraphs)


def test_a_comment_count_among_a_pages_statistics_does_not_open_a_comment_section():
    """A dump keeps "Comments:" and its count a line each, as it would a section's heading."""
    statistics = ["Words:", "67379", "Comments:", "1664", "Kudos:", "7142"]
    story = [PARAGRAPH, SECOND, TOOL.format(name="pliers"), TOOL.format(name="wire cutters")]
    result = clean_text("\n".join([*story[:3], *statistics, story[3]]) + "\n")
    assert story[3] in result.paragraphs


FRAGMENTS = [
    "(Score:5, Insightful)", "by Ann (1234) writes:", "Bo on March 3, 2019 at 4:47 pm said:", "Reply", "12 points",
    "Posted by: Cy at 5:23 PM", "ann | 12 May 2019 | Reply", "Comments:", "1664", "Ähnliche Beiträge", "* Facebook",
    "Lea también: Otra noticia", "Do Big Storms Hurt the Economy?", "Foto: Ann", "|", "»", "", PARAGRAPH, SECOND,
    "{ 3 comments }", "Ann Lee 07.19.12 at 07:57", "1. Bo - August 8, 2012", "http://ann.example.com/ ann", "Weigh In",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_lines_of_signatures_and_furniture_in_any_order_are_cleaned_without_raising(lines: list[str]):
    """Nothing is lost: each line is kept, dropped with a reason, or (a paragraph it was joined into) the title."""
    result = clean_text("\n".join(lines))
    everything = "\n".join([result.title, *result.paragraphs, *(block.text for block in result.dropped)])
    assert all(normalize(line) in everything for line in lines)

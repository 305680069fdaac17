"""The cleaner's rules are shapes, not seed strings: each is checked on text written for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searcher.clean import clean
from searcher.clean import rules as bp
from searcher.clean.blocks import normalize, text_blocks
from searcher.clean.classify import drop_reason
from searcher.models import SourceDocument
from tests.conftest import FIXTURES


def clean_text(text: str, kind: str = "text"):
    return clean(SourceDocument(id="t", path=Path("t.txt"), kind=kind, content=text))


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Protesters gather outside parliament in Kyiv on Sunday. (Photo: Reuters)", "photo caption"),
        ("Soldiers patrol the border near Kilis. (EPA/Sedat Suna)", "photo caption"),
        ("Photo by John Smith/Getty Images", "photo credit"),
        ("Reuters Photo/Murad Sezer", "photo credit"),
        ("Related: NATO ministers meet in Brussels", "related link"),
        ("Read more » Erdogan visits Sochi", "related link"),
        ("RECOMMENDED", "related link"),
        ("jsmith in: Why the pipeline matters", "comment widget"),
        ("12 Comments", "comment widget"),
        ("Buy cheap cialis online without prescription", "link spam"),
        ("https://spam.example.com/a https://spam.example.com/b", "link spam"),
        ("Share on Facebook", "share/navigation furniture"),
        ("Published: 12 March 2019", "dateline"),
        ("October 06, 2018", "dateline"),
        ("20.11.2019 - 11:28", "dateline"),
        ("Follow The New York Times Opinion section on Facebook, Twitter and Instagram.", "share/navigation furniture"),
        ("Like this story? Share it with a friend!", "share/navigation furniture"),
        ("You may also like...", "share/navigation furniture"),
        ("Tempo de leitura: 2 minutos", "share/navigation furniture"),
        ("This document is subject to copyright.", "share/navigation furniture"),
        ("Lesen Sie auch: Neue Bücherei im Stadtteil Nord", "related link"),
        ("Ähnliche Beiträge", "related link"),
        ("Verwandte Artikel:", "related link"),
        ("Lea también: El Gobierno anuncia nuevas ayudas", "related link"),
        ("Leia também: Governo anuncia novas medidas", "related link"),
        ("LIRE AUSSI SUR REGARDS.FR", "related link"),
        ("Leggi anche: Il governo annuncia", "related link"),
        ("Zobacz też: Rząd zapowiada zmiany", "related link"),
        ("Ook interessant", "related link"),
        ("Related Recipes", "related link"),
    ],
)
def test_furniture_shapes_are_dropped_with_their_reason(line: str, reason: str):
    assert drop_reason(text_blocks(line)[0]) == reason


@pytest.mark.parametrize(
    "line",
    [
        "More than 200 people were killed in the attack, officials said.",
        "Watch officials said the talks would continue in Geneva.",
        "The photo, taken by a local journalist, shows the damaged bridge.",
        "Read the full statement on the ministry's website, a spokesman said.",
        "The project began in 2017.",
        "Reuters reported that talks would resume on Monday.",
        "Poker players gathered in Las Vegas for the world series, which ends on Sunday with a final table.",
        "Follow-up talks on the casino licence are planned for next week.",
        "Lesen Sie auch, was der Minister dazu sagte, und warum die Opposition protestiert.",
        "Lire aussi le rapport de la commission, publié mardi, qui critique le projet.",
    ],
)
def test_story_sentences_are_kept(line: str):
    assert drop_reason(text_blocks(line)[0]) is None


def test_comment_excerpts_go_only_with_a_widget():
    story = "The ministry confirmed the sale.\nOfficials declined to comment further...\n"
    assert clean_text(story).dropped == ()
    widget = story + "maria in: Pipeline politics\nThanks for sharing this article ...\n"
    dropped = [d.text for d in clean_text(widget).dropped]
    assert dropped == ["maria in: Pipeline politics", "Thanks for sharing this article ..."]


BLOG_POST = (
    "Ein wenig lost, aber immer noch da\n"
    + "Als ich mich eben an den Computer gesetzt habe, um diesen Artikel zu schreiben, habe ich bemerkt, "
    "dass ich seit Monaten nichts mehr veröffentlicht habe, und das hat viele Gründe.\n"
    * 8
    + "Mein Job hat sich in den letzten zwei Jahren sehr verändert, und ich erzähle euch heute, wie.\n"
)
COMMENT = "Ich bin so froh, dass du diesen Text geschrieben hast! Ich lese dich seit Jahren."


@pytest.mark.parametrize(
    "thread",
    [
        # A WordPress theme's heading: "N replies to “the post's title”", in the blog's language.
        f"11 Antworten zu “Ein wenig lost, aber immer noch da!”\nSarah sagt:\n20. November 2022 um 21:39\n{COMMENT}",
        f"25 thoughts on “Ein wenig lost”\nSarah says:\nOctober 20, 2019 at 1:31 pm\n{COMMENT}\nReply",
        # No heading at all: the first comment's signature, an author line above a date.
        f"Sarah says:\nOctober 20, 2019 at 1:31 pm\n{COMMENT}\nReply",
    ],
)
def test_text_dump_loses_a_blog_comment_thread_below_the_post(thread: str):
    result = clean_text(BLOG_POST + thread + "\n")
    assert "Mein Job hat sich in den letzten zwei Jahren sehr verändert" in result.body
    assert COMMENT not in result.body
    assert COMMENT in [d.text for d in result.dropped]


def test_control_characters_never_reach_the_body():
    result = clean_text("Title line here\n\nThe \x1b[31mred\x1b[0m story goes on.\x07\n")
    assert "\x1b" not in result.body and "\x07" not in result.body


def test_every_kind_of_whitespace_becomes_one_space():
    # A no-break space, an ideographic space, a form feed, a line separator, a file separator:
    # each run of what Python calls whitespace is one space, as a page renders it.
    line = "\u3000 The\xa0story\u2028\u2003goes\x0c\x1c on.\t\n"
    assert normalize(line) == "The story goes on."
    assert normalize("\u00a0\u2009\n") == ""


def test_html_page_keeps_story_and_drops_furniture_and_comments():
    html = (FIXTURES / "page.html").read_text(encoding="utf-8")
    result = clean(SourceDocument(id="p", path=Path("page.html"), kind="html", content=html))
    assert result.title == "Putin lands in Ankara for talks on missile deal"
    assert result.paragraphs[0].startswith("Russian President Vladimir Putin arrived in Ankara")
    assert "A deposit already paid" in result.paragraphs
    for noise in (
        "viagra",
        "Great article",
        "Share on Facebook",
        "Copyright",
        "Esenboga",
        "READ MORE",
        "Sochi",
        "Jane Doe",
    ):
        assert noise not in result.body, noise
    assert ("2017-09-28T22:15:00-04:00", "metadata") in result.date_candidates
    assert result.site_name == "Example News"


def test_html_story_box_is_not_joined_by_comments_below_a_comments_heading():
    # An old news page: the story, a "Kommentare" title bar, then each reader comment in a plain
    # box with a paragraph, the same markup as the story's (love-hina.ch, 2004).
    story = (
        "Kapitel 121 ist nun auch online. Wie immer können die Bilder nur von Eingeloggten Usern "
        "betrachtet werden. Am Freitag folgt Kapitel 122."
    )
    comment = "Danke für dieses Kapitel Genesis^o^"
    html = (
        '<html><body><div id="content"><h1>News</h1>'
        f"<div><h2>Site Update - Kapitel 121</h2>24. März 2004 | Genesis<p>{story}<br>Viel Spass</p></div>"
        '<div class="titlebar">Kommentare</div>'
        f'<div style="padding-top: 10px;"><h3>#1 Kommentar von Naru-chan</h3>26. März 2004<p>{comment}</p></div>'
        '<div class="titlebar">Kommentare schreiben</div></div></body></html>'
    )
    result = clean_text(html, kind="html")
    assert story in result.paragraphs
    assert not any("Danke" in paragraph for paragraph in result.paragraphs)
    assert any("Danke" in block.text for block in result.dropped)


def test_html_text_either_side_of_a_block_element_is_two_paragraphs_and_inline_spaces_stay():
    # A recipe step ending in an empty clearing <div>, the next step: a browser shows two lines.
    first = "Add the flour and the oil to the bowl with the yeast and the warm water."
    second = "Stir until everything is mixed, then leave the bowl aside for five minutes."
    html = (
        "<html><body><article>"
        f'<p><span>{first}<div style="clear:both"></div></span><span>{second}</span></p>'
        "<p>Knead the dough on a floured board <b>for ten minutes</b> <i>until smooth</i>, "
        "then shape it into a round loaf and let it rise.</p>"
        "</article></body></html>"
    )
    paragraphs = clean_text(html, kind="html").paragraphs
    assert first in paragraphs
    assert second in paragraphs
    assert any("board for ten minutes until smooth, then" in paragraph for paragraph in paragraphs)


def test_html_title_without_og_title_drops_the_site_name():
    html = (
        "<html><head><title>Gas talks stall in Ankara | Example News</title></head><body><p>"
        + "Talks on gas prices stalled again on Monday. " * 3
        + "</p></body></html>"
    )
    assert clean_text(html, kind="html").title == "Gas talks stall in Ankara"


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<",
        "<html><body><p>unclosed <b>bold <i>italic",
        "<div>" * 5000 + "deep" + "</div>" * 10,
        "<p>\x00\x01</p>",
        "<!-- only a comment -->",
    ],
)
def test_malformed_html_never_raises(html: str):
    clean_text(html, kind="html")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_is_cleaned_without_raising(text: str):
    result = clean_text(text)
    assert all("\n" not in p for p in result.paragraphs)


def test_hard_wrapped_newswire_text_is_kept_whole():
    """Newswire dumps wrap lines at about 70 characters: no line is a sentence on its own, yet every
    line is story, and so is a table of figures."""
    story = (
        "COBANCO INC YEAR NET\n\n"
        "Shr 34 cts vs 1.19 dlrs\n"
        "Net 807,000 vs 2,858,000\n"
        "Assets 510.2 mln vs 479.7 mln\n"
        "Standard Oil Co and BP North America\n"
        "Inc said they plan to form a venture to manage the money market\n"
        "borrowing and investment activities of both companies, the\n"
        "companies said in a statement on Tuesday.\n"
        "The venture will be based in New York and begin operating in\n"
        "the second quarter, they said.\n"
    )
    result = clean_text(story)
    assert result.title == "COBANCO INC YEAR NET"
    assert result.dropped == ()
    assert len(result.paragraphs) == 9  # every line after the headline


@pytest.mark.parametrize("kind", ["text", "record"])
def test_an_articles_only_paragraph_is_its_story_not_a_headline(kind: str):
    """A short abstract saved without a title (no sentence end, under 30 words) has no headline
    above it: it is the story, searched and weighted as one, its first words only shown as the title."""
    abstract = "compact memories have flexible capacities a digital data storage system with capacity up to bits"
    result = clean(SourceDocument(id="a", path=Path("a.txt"), kind=kind, content=abstract))
    assert result.paragraphs == (abstract,)
    assert not result.title_is_headline
    assert result.title == abstract  # shown, not indexed as a title
    with_story = clean_text(f"Compact memories\n\n{abstract}.")
    assert (with_story.title, with_story.title_is_headline) == ("Compact memories", True)


POSTS = (
    "My rain barrel overflows into the cellar every time it rains hard. Is there a way to stop it "
    "filling once it is full, or do I need a second barrel next to it?",
    "Check whether your diverter has an overflow pipe on the side: if it does, run a hose from it to a "
    "drain or a soakaway well away from the house, and the cellar will stay dry.",
    "Thank you, that worked. I fitted two metres of hose down to the flower bed and last night's storm "
    "left the cellar dry for the first time this year.",
)
STORY = (
    "The county's twelve libraries will open one day fewer each week from January, the council said on "
    "Wednesday, as it looks for savings of four million pounds over the next two years.",
    "Staff will not lose their jobs, the council said, but some part-time posts will not be filled when "
    "their holders leave, and the mobile library will visit the villages once a fortnight.",
    "Campaigners said the cut would hit pupils and older readers hardest, and they have called a public "
    "meeting at the town hall for next Thursday evening to ask the council to think again.",
)


def _page_with_comment_boxes(kind: str, first: str, replies: tuple[str, ...]) -> str:
    """One post or story, then replies in boxes of the classes forums and comment widgets share."""
    boxes = "".join(
        f'<div class="comment reply"><div class="comment-author">reader{i}</div><p>{text}</p>'
        '<a href="#r">Reply</a></div>'
        for i, text in enumerate(replies)
    )
    ld = f'<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "{kind}"}}</script>'
    return (
        f"<html><head><title>Page</title>{ld}</head><body><nav><a href='/'>Home</a></nav>"
        f'<div class="main-body"><h1>Page</h1><p>{first}</p><h3>{len(replies)} Comments</h3>'
        f'<div class="comments">{boxes}</div></div><footer>Be kind</footer></body></html>'
    )


@pytest.mark.parametrize("parser", ["html.parser", "lxml"])
def test_a_page_that_says_it_is_a_thread_keeps_its_replies(parser: str, monkeypatch: pytest.MonkeyPatch):
    from searcher.clean import html as clean_html

    monkeypatch.setattr(clean_html, "PARSER", parser)
    result = clean_text(_page_with_comment_boxes("DiscussionForumPosting", POSTS[0], POSTS[1:]), kind="html")
    assert list(result.paragraphs) == list(POSTS)
    assert "Reply" not in result.body and "Home" not in result.body and "Be kind" not in result.body


@pytest.mark.parametrize("parser", ["html.parser", "lxml"])
def test_a_news_story_in_the_same_markup_keeps_its_readers_comments_out(parser: str, monkeypatch: pytest.MonkeyPatch):
    from searcher.clean import html as clean_html

    monkeypatch.setattr(clean_html, "PARSER", parser)
    replies = ("This is a disgrace, the library is the only warm place some people have all winter long.",) * 2
    result = clean_text(_page_with_comment_boxes("NewsArticle", " ".join(STORY), replies), kind="html")
    assert list(result.paragraphs) == [" ".join(STORY)]


@pytest.mark.parametrize(
    ("marker", "thread"),
    [
        ('<meta name="generator" content="Discourse 3.4.0 - https://github.com/discourse/discourse">', True),
        ('<div itemscope itemtype="https://schema.org/QAPage"></div>', True),
        ('<script type="application/ld+json">{"@type": ["QAPage"]}</script>', True),
        ('<meta name="generator" content="WordPress 6.5">', False),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "comment": []}</script>', False),
    ],
)
def test_a_thread_is_what_the_page_says_it_is(marker: str, thread: bool):
    from searcher.clean.html import html_blocks

    page = html_blocks(f"<html><head>{marker}</head><body>{marker}<p>{STORY[0]}</p></body></html>")
    assert page.signals.thread is thread


def test_a_script_built_page_is_read_from_its_noscript_and_other_pages_never_are():
    story = "".join(f"<p>{text}</p>" for text in STORY)
    built = f"<html><body><div id='app'>Loading</div><noscript><h1>Libraries</h1>{story}</noscript></body></html>"
    assert list(clean_text(built, kind="html").paragraphs) == list(STORY)
    notice = "<noscript><p>Please enable JavaScript to see the comments on this story, or log in below.</p></noscript>"
    # markup a page escapes into its <noscript> (a tracking pixel's) is not text anyone reads
    pixel = "<noscript>" + "&lt;img src='https://example.com/pixel.gif?a=1' width=1 height=1&gt;" * 20 + "</noscript>"
    for extra in (notice, pixel):
        result = clean_text(
            f"<html><body><div id='app'>{pixel}</div><article>{story}</article>{extra}</body></html>", kind="html"
        )
        assert list(result.paragraphs) == list(STORY)


@pytest.mark.parametrize("language", sorted(bp.RELATED_MARKERS_BY_LANGUAGE))
def test_every_languages_related_markers_are_dropped_bare_and_before_a_headline(language: str):
    for marker in bp.RELATED_MARKERS_BY_LANGUAGE[language]:
        for line in (marker.capitalize(), f"{marker.upper()}: Elsewhere in the region"):
            assert drop_reason(text_blocks(line)[0]) == "related link", line


@pytest.mark.parametrize(
    ("line", "signature"),
    [
        ("Posted by: Ellen at September 10, 2012 11:40 AM", True),
        ("Posted by Menzie Chinn at October 29, 2012 05:10 PM | Permalink", True),
        ("Ellen | 10 September 2012", True),
        ("Ellen said on September 10, 2012", True),
        ("Jo Smith on 10.09.2012 at 11:40 said:", True),
        ("The market fell on October 29, 2012.", False),
        ("Home | October 2012", False),
    ],
)
def test_a_comments_signature_is_told_from_a_sentence(line: str, signature: bool):
    assert bool(bp.COMMENT_SIGNATURE.match(line)) is signature


def _signed_thread(signature: str) -> str:
    """A signed post and four signed comments below it, no heading between them."""
    paragraph = "The council met on Monday to agree the budget for the coming year. " * 4
    story = f"<p>{paragraph}</p>" * 4 + f"<p>{signature.format(n=9)}</p>"  # the post's own signature
    comment = "<div><p>Reader {n} thinks the council got this one wrong again this year.</p></div>"
    comments = "".join(f"{comment.format(n=n)}<p>{signature.format(n=n)}</p>" for n in range(4))
    return f"<html><body><div>{story}{comments}</div></body></html>"


SIGNATURES = ["Posted by: Reader {n} at May 1{n}, 2012 10:0{n} AM", "Reader {n} | 1{n} May 2012"]


@pytest.mark.parametrize("signature", SIGNATURES)
def test_a_run_of_signed_comments_below_a_story_goes(signature: str):
    body = clean(SourceDocument("p", Path("p.html"), "html", _signed_thread(signature))).body
    assert body.startswith("The council met") and "thinks the council got this one wrong" not in body


def test_on_a_thread_signed_posts_are_kept():
    page = _signed_thread(SIGNATURES[0])
    page = page.replace("<html>", '<html><head><meta name="generator" content="phpBB"></head>')
    body = clean(SourceDocument("p", Path("p.html"), "html", page)).body
    assert "Reader 3 thinks the council got this one wrong" in body


def test_an_id_that_is_an_address_names_no_comment_section():
    story = "".join(f"<p>{'Readers can now see comments on the mobile site as well. ' * 3}</p>" for _ in range(3))
    page = f'<html><body><text id="http://example.com/2013/read-comments-on-mobile">{story}</text></body></html>'
    body = clean(SourceDocument("p", Path("p.html"), "html", page)).body
    assert body.startswith("Readers can now see comments")


@pytest.mark.parametrize("language", sorted(bp.SHARE_FURNITURE_BY_LANGUAGE))
def test_every_languages_share_and_print_lines_are_furniture(language: str):
    for line in bp.SHARE_FURNITURE_BY_LANGUAGE[language]:
        assert drop_reason(text_blocks(line.capitalize())[0]) == "share/navigation furniture", line


@pytest.mark.parametrize(
    "line",
    ["Die Regierung will die Kosten teilen.", "La stampa locale ha pubblicato la notizia.", "Imprimir no ayuda."],
)
def test_a_sentence_using_a_share_word_is_story(line: str):
    assert drop_reason(text_blocks(line)[0]) is None


STORY_SENTENCE = "The council voted on Tuesday to build protected cycle lanes along the whole ring road. "


def test_a_furniture_named_element_wrapping_the_page_is_looked_into_not_removed():
    """A site header the parser left open over the page holds the story: its story stays, and the
    furniture inside it (its menu) still goes."""
    from searcher.clean.html import _remove_furniture, parse

    story = "".join(f"<section><p>{STORY_SENTENCE * 3}</p></section>" for _ in range(6))
    soup = parse(f'<body><header class="site-header" id="masthead"><nav>Home News Sport</nav>{story}</header></body>')
    dropped = _remove_furniture(soup.body)
    assert [block.text for block in dropped] == ["Home News Sport"]
    assert soup.body.get_text(" ").count("cycle lanes") == 18


def test_a_sidebar_beside_the_story_still_goes():
    from searcher.clean.html import _remove_furniture, parse

    story = f"<p>{STORY_SENTENCE * 12}</p>"
    sidebar = f'<div class="sidebar">{"Most read: Lanes open in spring. " * 60}</div>'
    soup = parse(f"<body><div>{story}</div>{sidebar}</body>")
    assert [block.reason for block in _remove_furniture(soup.body)] == ["sidebar"]


def test_a_page_the_parser_puts_inside_a_button_keeps_its_story():
    """`<button><div><div></button>`: lxml's parser ignores the `</button>`, so the rest of the page
    sits inside the button; a button of more than a label's words is read as the page."""
    page = (
        '<html><head><title>Garlic</title></head><body><button class="menu"><div><div></button>'
        f"<main><h1>Garlic</h1>{''.join(f'<p>{STORY_SENTENCE}</p>' for _ in range(5))}</main>"
        '<button class="top">Back to top</button></body></html>'
    )
    result = clean_text(page, kind="html")
    assert result.body.count("cycle lanes") == 5
    assert "Back to top" not in result.body


def _boxed_story(first_box: str) -> str:
    """A page builder's story: a first box, the body in a box of its own beside a captioned photo,
    a last paragraph in a third box, with a menu and a footer around them."""
    body = "".join(f"<p>{STORY_SENTENCE * 2}</p>" for _ in range(3))
    return (
        '<html><head><title>Cycle lanes</title></head><body><nav><a href="/">Home</a> <a href="/city">City</a></nav>'
        f'<div class="content"><div class="box">{first_box}</div>'
        f'<div class="box"><div class="pic"><img src="a.jpg"><p>Ring road © A. Photographer</p></div>'
        f'<div class="text">{body}</div></div>'
        '<div class="box"><p>The first stretch opens in spring, between the station and the river bridge.</p></div>'
        '</div><footer><a href="/imprint">Imprint</a></footer></body></html>'
    )


def test_a_story_split_into_boxes_keeps_its_lead_and_its_last_paragraph():
    lead = "<h2>A safer ring road</h2><p>Riders have asked for years for a lane of their own on the ring road.</p>"
    result = clean_text(_boxed_story(lead), kind="html")
    assert result.paragraphs[0] == "A safer ring road"
    assert result.paragraphs[1].startswith("Riders have asked")
    assert result.paragraphs[-1].startswith("The first stretch opens in spring")
    assert "Home City" not in result.body and "Imprint" not in result.body


def test_a_box_holding_the_headline_is_not_taken_into_the_story():
    """The headline's box holds the standfirst and the byline: they stay outside the story's box."""
    header = "<h1>Cycle lanes</h1><p>By Jo Writer, City Desk, 12 March 2024, updated on Tuesday at noon.</p>"
    result = clean_text(_boxed_story(header), kind="html")
    assert result.paragraphs[-1].startswith("The first stretch opens in spring")
    assert "Jo Writer" not in result.body
    assert any(d.reason == "outside the story" and "Jo Writer" in d.text for d in result.dropped)


def test_the_model_takes_back_no_comment_between_two_signed_ones():
    """A comment's text between two signatures ("Posted by: Ann at ...") stays out, whatever the
    model says of it; below the last signature and outside a comment section it may say otherwise."""
    from searcher.clean.blocks import Block
    from searcher.clean.classify import _no_comments_taken_back

    texts = ["The story's paragraph.", "Posted by: Ann at May 2, 2024 10:01 AM", "A reader's long reply.",
             "Posted by: Bo at May 2, 2024 11:15 AM", "Another reply."]  # fmt: skip
    blocks = [Block(text) for text in texts]
    rules = [None, bp.SIGNATURE_REASON, bp.COMMENT_REASON, bp.SIGNATURE_REASON, bp.COMMENT_REASON]
    judged = [None, bp.SIGNATURE_REASON, None, bp.SIGNATURE_REASON, None]
    assert _no_comments_taken_back(blocks, rules, judged, []) == [*rules[:4], None]


STORY_PARAGRAPHS = (
    "<p>The harbour authority approved the new ferry terminal on Tuesday after three years of public"
    " hearings, and building work is to start in the spring.</p>"
    "<p>The terminal will take two ships at once, which the operators say will halve the queues of"
    " lorries that now stretch back through the town centre on summer weekends.</p>"
)


def test_soft_hyphens_and_word_joiners_are_left_out_of_the_cleaned_text():
    """A German page sets a soft hyphen every few letters: the cleaned story must say "Mittelalter",
    so that grep and any tool reading the JSON find the word."""
    page = (
        "<html><body><article><h1>Wein aus Bozen</h1><p>Schon im Mit\u00adtel\u00adal\u00adter war der"
        " St. Mag\u00adda\u00adle\u00adner das Aus\u00adhän\u00adge\u00adschild der Süd\u00adti\u00adro\u00adler"
        " Wein\u00adwirt\u00adschaft, und weit\u00adhin wur\u00adde das Lob\u00adlied auf den Wein\u2060 gesungen.</p>"
        "</article></body></html>"
    )
    dump = "Wein aus Bozen\n\nSchon im Mit\u00adtel\u00adal\u00adter war es so.\n"
    for kind, content in (("html", page), ("text", dump)):
        body = clean_text(content, kind).body
        assert "Mittelalter" in body
        assert not {"\u00ad", "\u2060", "\ufeff"} & set(body)


def test_a_zero_width_joiner_stays_where_a_script_spells_with_it():
    assert normalize("می\u200cخواهم") == "می\u200cخواهم"


def test_tags_inside_a_script_do_not_make_a_page_too_deep_to_parse():
    """A theme's script may hold thousands of "<span" strings never closed; a parser reads them as
    text, so the page keeps its structure: the sidebar's teaser goes, the story stays."""
    script = "<script>var icons = '" + "<span class=icon>" * 2000 + "';</script>"
    page = (
        f"<html><head>{script}</head><body><nav class='menu'><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>New ferry terminal approved</h1>{STORY_PARAGRAPHS}</article>"
        "<aside><p>The council also voted on Tuesday to close the old swimming baths on Water Street for"
        " repairs that are to take most of next year.</p></aside></body></html>"
    )
    body = clean_text(page, "html").body
    assert "halve the queues" in body
    assert "swimming baths" not in body


def test_a_section_marked_as_carrying_ads_is_the_story_not_an_ad():
    """A review's sections may say in a modifier that ads sit among them ("Report__Section--Ads",
    "has-ads"): they are the story; an ad slot is still an ad."""
    sections = "".join(
        f"<section class='{cls}'><h2>Part {n}</h2>{STORY_PARAGRAPHS}</section>"
        for n, cls in enumerate(("Report__Section Report__Section--Ads", "Report__Section has-ads"), start=1)
    )
    page = (
        f"<html><body><article><h1>The new ferry terminal, reviewed</h1>{sections}"
        "<div class='ad-slot'><p>Book your summer crossing now and save twenty percent on every"
        " cabin before the end of the month.</p></div></article></body></html>"
    )
    body = clean_text(page, "html").body
    assert body.count("halve the queues") == 2
    assert "Book your summer crossing" not in body

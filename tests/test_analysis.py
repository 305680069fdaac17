"""The analyzer decides what a query can find; these are the token rules users rely on."""

from searcher.analysis import news_analyzer


def tokens(text: str) -> list[str]:
    return [t.text for t in news_analyzer()(text)]


def test_model_numbers_are_one_token_with_or_without_hyphen():
    assert tokens("S-400") == tokens("S400") == ["s400"]
    assert tokens("F-35") == tokens("F35") == ["f35"]
    assert tokens("Su-57 COVID-19") == ["su57", "covid19"]


def test_plain_hyphenated_words_split_into_their_parts():
    assert tokens("de-escalation") == ["de", "escal"]
    assert tokens("al-Assad") == ["al", "assad"]


def test_number_ranges_stay_separate_numbers():
    assert tokens("1939-1945") == ["1939", "1945"]


def test_a_word_holding_a_digit_is_split_from_the_word_it_is_hyphenated_to():
    """A gene or protein name before a hyphen stays findable by itself ("Rad53", "p53")."""
    text = "Checkpoint arrest was Rad53-dependent in yeast, and p53-deficient cells divided on."
    assert {"rad53", "depend", "p53", "defici"} <= set(tokens(text))
    assert tokens("Rad53-dependent") == tokens("Rad53 dependent")


def test_a_model_number_inside_a_longer_compound_is_joined_and_the_words_kept_apart():
    assert tokens("IL-6-mediated inflammation") == ["il6", "mediat", "inflamm"]
    assert tokens("COVID-19-related deaths") == tokens("COVID-19 related deaths") == ["covid19", "relat", "death"]
    assert tokens("anti-IL-6 antibodies") == ["anti", "il6", "antibodi"]


def test_model_numbers_with_letters_after_the_digits_stay_one_token():
    assert tokens("F-35A") == tokens("F35A") == ["f35a"]
    assert tokens("MH-17") == tokens("MH17") == ["mh17"]
    assert tokens("3-D printing") == ["3d", "print"]
    assert tokens("two MiG-29s") == ["two", "mig29"]


def test_an_age_or_a_count_is_not_glued_to_the_words_after_it():
    assert tokens("a 19-year-old student") == ["19", "year", "old", "student"]


def test_every_part_of_a_hyphenated_group_keeps_its_own_offsets():
    text = "later IL-6-mediated Rad53-dependent"
    spans = [text[t.startchar : t.endchar] for t in news_analyzer()(text, chars=True)]
    assert spans == ["later", "IL-6", "mediated", "Rad53", "dependent"]


def test_possessives_match_the_plain_word():
    assert tokens("Russia’s") == tokens("Russia's") == tokens("Russia")


def test_stemming_joins_word_forms():
    assert tokens("assassinate") == tokens("assassination")


def test_word_forms_whooshs_porter_stemmer_kept_apart_share_a_stem():
    """Snowball's English stemmer: "automated" finds "automation", "planned" finds "plan"."""
    assert tokens("automated") == tokens("automation") == tokens("automate")
    assert tokens("planned") == tokens("plans") == tokens("planning")
    assert tokens("investigated") == tokens("investigation")
    assert tokens("activated") == tokens("activation")


def test_a_numbers_plural_finds_the_number():
    assert tokens("S-400s F-35s 1990s") == tokens("S-400 F-35 1990")
    assert tokens("gas species") == ["gas", "speci"]  # a word's final s is the stemmer's to judge


def test_accents_are_folded():
    assert tokens("Café Erdoğan") == tokens("cafe erdogan")


def test_stopwords_are_dropped():
    assert tokens("the and of") == []
    assert tokens("they were there but into such") == ["were"]


def test_news_words_that_look_like_function_words_are_kept():
    """Whoosh's stopword list held these: "US" and "May" were not searchable at all."""
    assert tokens("US sanctions") == ["us", "sanction"]
    assert tokens("Theresa May can yet win") == ["theresa", "may", "can", "yet", "win"]


def test_character_offsets_point_at_the_original_text():
    text = "Russia’s S-400 arrived"
    spans = [(t.startchar, t.endchar) for t in news_analyzer()(text, chars=True)]
    assert [text[s:e] for s, e in spans] == ["Russia’s", "S-400", "arrived"]


def test_find_terms_marks_every_word_that_analyzes_to_a_query_stem():
    from searcher.analysis import find_terms

    text = "Russia’s S-400s arrived; happy assassinations and the happiest S400 in Café Ankara."
    stems = {t.text for t in news_analyzer()("russia s400 assassinate happy cafe")}
    found = [text[s:e] for s, e in find_terms(text, stems)]
    assert found == ["Russia’s", "S-400s", "happy", "assassinations", "S400", "Café"]


def test_find_terms_agrees_with_the_analyzer_on_real_text():
    from searcher.analysis import find_terms
    from tests.conftest import SEEDS

    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    tokens = [(t.text, t.startchar, t.endchar) for t in news_analyzer()(text, chars=True, mode="index")]
    for stems in [{"putin"}, {"s400", "f35"}, {word for word, _, _ in tokens[::7]}]:
        expected = [(start, end) for word, start, end in tokens if word in stems]
        assert find_terms(text, stems) == expected


def test_soft_hyphens_and_zero_width_characters_inside_a_word_do_not_split_it():
    assert tokens("Ital\u00adiens Wirt\u00adschafts\u00adleistung") == tokens("Italiens Wirtschaftsleistung")
    for invisible in "\u00ad\u200b\u200c\u200d\u2060\ufeff":
        assert tokens(f"assas{invisible}sination") == ["assassin"], repr(invisible)
    assert tokens("F-3\u00ad5 S\u00ad400") == ["f35", "s400"]
    assert tokens("\u00adleading trailing\u00ad") == tokens("leading trailing")


def test_a_word_with_a_soft_hyphen_keeps_the_span_of_the_written_word():
    from searcher.analysis import find_terms

    text = "Das Ital\u00adiens Land"
    spans = [(t.startchar, t.endchar) for t in news_analyzer()(text, chars=True)]
    assert [text[s:e] for s, e in spans] == ["Das", "Ital\u00adiens", "Land"]
    assert [text[s:e] for s, e in find_terms(text, {"italien"})] == ["Ital\u00adiens"]


def test_a_zero_width_space_still_breaks_words_in_scripts_written_without_spaces():
    assert tokens("\u0e20\u0e32\u0e29\u0e32\u200b\u0e44\u0e17\u0e22") == [
        "\u0e20\u0e32\u0e29\u0e32",
        "\u0e44\u0e17\u0e22",
    ]
    assert tokens("\u6771\u4eac\u200b\u5927\u962a") == ["\u6771\u4eac", "\u5927\u962a"]
    assert tokens("word\u200b break") == ["word", "break"]

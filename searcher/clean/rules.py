"""The shapes of page furniture and comment spam, kept apart from the cleaning logic.

Every pattern describes a general shape seen across news sites (a parenthesised photo credit, a
"READ MORE:" marker, a "NAME in: TITLE" recent-comments line), never one article's words.
"""

from __future__ import annotations

import re

_CREDIT_WORDS = (
    r"(?:Photo(?:graph)?s?|Image|Picture|Pic|Illustration|Credit|Video|Getty(?: Images)?|Shutterstock|File photo)"
)
_AGENCY = r"(?:AP|AFP|Reuters|EPA|Getty Images|Shutterstock|Alamy|Xinhua|TASS|Sputnik|Anadolu|PA|Bloomberg)"

# "... (AP Photo/Alexander Zemlianichenko)" or "(Photo: Reuters)" closing a line: a photo caption.
CAPTION_CREDIT_SUFFIX = re.compile(rf"\((?=[^()]*(?:\b{_CREDIT_WORDS}\b|/))[^()]{{2,120}}\)\s*$", re.IGNORECASE)

# A line that is only a credit: "AP Photo/Alexander Zemlianichenko", "Photo: Reuters", "Getty Images".
CREDIT_LINE = re.compile(
    rf"""^\(?\s*(?:
        (?:{_AGENCY}\s+)?{_CREDIT_WORDS}\s*(?:credit)?\s*(?:/|:|by\b|©)  # "AP Photo/...", "Photo by ..."
      | ©                                                               # "© Reuters"
      | .{{0,60}}(?:/|\bvia\s)\s*{_AGENCY}\s*$                          # ".../Getty Images", "via Reuters"
      | {_AGENCY}\s*$                                                   # just the agency
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Credits are short; a longer line with these words is a sentence about a photo, which is story.
CREDIT_MAX_WORDS = 10

# The same markers in the other languages of the pages cleaned here (the extraction sets hold German,
# French, Spanish, Portuguese, Italian, Polish and Dutch pages): "Lesen Sie auch: ...", "Ähnliche
# Beiträge", "Lire aussi sur SITE". Lowercase; a space stands for any run of spaces.
RELATED_MARKERS_BY_LANGUAGE = {
    "German": (
        "lesen sie auch", "lesen sie mehr", "lies auch", "auch interessant", "das könnte sie auch interessieren",
        "das könnte dich auch interessieren", "verwandte artikel", "verwandte beiträge", "verwandte themen",
        "ähnliche beiträge", "ähnliche artikel", "mehr zum thema", "weitere artikel", "weitere beiträge",
        "weitere meldungen", "weitere nachrichten", "weitere themen", "mehr themen", "passend zum thema", "siehe auch",
        "weiterlesen", "die meistgelesenen artikel", "meistgelesene artikel", "meistgelesene nachrichten",
        "meistgelesen", "am meisten gelesen",
    ),
    "French": (
        "lire aussi", "à lire aussi", "a lire aussi", "lire également", "à lire également", "voir aussi",
        "articles similaires", "sur le même sujet", "vous aimerez aussi", "les plus lus", "les articles les plus lus",
    ),
    "Spanish": (
        "lea también", "lee también", "lea además", "te puede interesar", "le puede interesar",
        "también te puede interesar", "noticias relacionadas", "artículos relacionados", "ver también",
        "lo más leído", "lo más visto", "las más leídas", "los más leídos", "noticias más leídas",
    ),
    "Portuguese": (
        "leia também", "leia mais", "veja também", "notícias relacionadas", "artigos relacionados", "saiba mais",
        "você também pode gostar", "mais lidas", "mais lidos",
    ),
    "Italian": (
        "leggi anche", "leggi pure", "articoli correlati", "potrebbe interessarti", "vedi anche", "i più letti",
    ),
    "Polish": (
        "zobacz też", "zobacz także", "czytaj też", "czytaj także", "przeczytaj też", "przeczytaj także",
        "podobne artykuły", "najczęściej czytane",
    ),
    "Dutch": ("ook interessant", "lees ook", "lees meer", "bekijk ook", "gerelateerde artikelen", "meest gelezen"),
}  # fmt: skip
# Any of them, perhaps naming where ("Mehr zum Thema auf UEPO.de", "LIRE AUSSI SUR REGARDS.FR").
_RELATED_ELSEWHERE = "|".join(
    marker.replace(" ", r"\s+") for markers in RELATED_MARKERS_BY_LANGUAGE.values() for marker in markers
)
_RELATED_ELSEWHERE = rf"(?:{_RELATED_ELSEWHERE})(?:\s+(?:auf|sur|en|em|su|na|op|bei|in)\s+\S+)?(?:\.\.\.|…)?"

# "READ MORE: ...", "Related: ...", "Recommended » ..." and the bare markers themselves.
RELATED_MARKER = re.compile(
    rf"""^(?:{_RELATED_ELSEWHERE}|READ\s+MORE|READ\s+ALSO|ALSO\s+READ|MORE\s+ON\s+THIS(?:\s+STORY)?|SEE\s+ALSO|RELATED(?:\s+(?:ARTICLES?|STORIES|STORY|COVERAGE|NEWS|CONTENT|LINKS?|READING|TOPICS|POSTS?|RECIPES|VIDEOS))?
         |RECOMMENDED(?:\s+(?:FOR\s+YOU|ARTICLES?|STORIES|READING))?|YOU\s+MAY\s+(?:ALSO\s+)?LIKE|MORE\s+FROM\s+\w+|MORE|WATCH|LISTEN|CLICK\s+HERE\s+TO\s+READ)
        \s*(?:[:|»›>–—-]\s*\S.*|[:|»›>–—-]?\s*$)""",
    re.IGNORECASE | re.VERBOSE,
)
# "MORE" and "WATCH" lead too many ordinary sentences; they count only in capitals.
RELATED_MARKERS_CAPS_ONLY = re.compile(r"^(?:more|watch|listen)\b", re.IGNORECASE)

# Recent-comments widgets list "AUTHOR in: POST TITLE" (WordPress) or "AUTHOR on POST TITLE".
COMMENT_WIDGET_LINE = re.compile(r"^(?P<author>\S(?:[^:]{0,80}?\S)?)\s+(?:in|on):\s+\S")
COMMENT_AUTHOR_MAX_WORDS = 5
# A comment's author line, as blogs print it: "Birgit sagt:", "Roberta says:" (six languages).
_COMMENT_AUTHOR = r"\S[\w .'@-]{0,40}\s+(?:says|sagt|schreibt|meint|dit|dice|diz|disse|pisze|napisa[łl]a?)\s*:"
COMMENT_AUTHOR = re.compile(rf"^{_COMMENT_AUTHOR}\s*$", re.IGNORECASE)
COMMENT_FURNITURE = re.compile(
    rf"""^(?:\d+\s+comments?|comments?\s*\(\d+\)|leave\s+a\s+(?:comment|reply)|post\s+a\s+comment|add\s+(?:a\s+)?comment
        |comments?\s+are\s+closed|log\s*in\s+to\s+(?:comment|reply)|report(?:\s+abuse)?|show\s+more\s+comments
        |reply|antworten|r[ée]pondre|responder|odpowiedz
        |{_COMMENT_AUTHOR}|\S[\w .'@-]{{0,40}}\s+(?:said|wrote|schrieb)\s*:
        |posted\s+by\s+\S.{{0,60}}
        |\S.{{0,40}}\s+(?:on|am)\s+.{{4,40}}\d{{4}}.{{0,20}}\s(?:says|said|wrote):?)\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Phrases that belong to comments about a page, not to a news story.
COMMENT_PHRASES = re.compile(
    r"\b(?:your\s+(?:blog|website|site|post|article)|great\s+(?:article|post|read)|nice\s+(?:article|post)"
    r"|thanks?\s+(?:you\s+)?for\s+(?:sharing|posting|this\s+(?:article|post))|keep\s+up\s+the\s+good\s+work"
    r"|this\s+(?:blog|post)\b|i\s+(?:just\s+)?(?:found|stumbled\s+(?:up)?on|stumbled\s+across|came\s+across)\s+(?:your|this)"
    r"\s+(?:blog|site|web\s*site|post|article|page)"
    r"|became\s+aware\s+of\s+your)\b",
    re.IGNORECASE,
)
# A scraper's truncated excerpt: "Great article with insight ..." as listed by a comments widget.
TRUNCATED_EXCERPT = re.compile(r"(?:\.\.\.|…)\s*$")

URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Above this share of characters in URLs a line is a link, not prose.
URL_DENSITY_SPAM = 0.3
# Without a link, spam words make spam only in a line this short: a sales pitch, not a sentence of news.
SPAM_PITCH_MAX_WORDS = 12
SPAM_WORDS = re.compile(
    r"\b(?:viagra|cialis|sildenafil|tadalafil|levitra|kamagra|pharmacy|casino|poker|payday\s+loans?|replica\s+watches"
    r"|porn|escort\s+service|buy\s+followers|crypto\s+signals?)\b",
    re.IGNORECASE,
)

# Share, print and "was this helpful?" lines in the other languages of the pages cleaned here, each
# a whole line: "Artikel teilen", "Rezept drucken", "drukuj", "War der Artikel nützlich?".
SHARE_FURNITURE_BY_LANGUAGE = {
    "German": (
        "teilen", "artikel teilen", "beitrag teilen", "seite teilen", "drucken", "artikel drucken", "rezept drucken",
        "seite drucken", "per e-mail versenden", "bild anzeigen", "beitragsbild", "nach oben", "zurück nach oben",
        "war der artikel nützlich", "war dieser artikel hilfreich", "möchten sie den artikel teilen", "lust auf mehr",
    ),
    "French": (
        "partager", "partager cet article", "imprimer", "envoyer par e-mail", "cet article vous a-t-il été utile",
    ),
    "Spanish": ("compartir", "compartir en", "imprimir", "enviar por correo", "¿te ha sido útil"),
    "Portuguese": ("compartilhar", "partilhar", "imprimir", "enviar por e-mail"),
    "Italian": ("condividi", "stampa", "invia per e-mail"),
    "Polish": ("udostępnij", "drukuj", "wydrukuj"),
    "Dutch": ("delen", "deel dit artikel", "printen", "afdrukken"),
}  # fmt: skip
_SHARE_ELSEWHERE = "|".join(
    re.escape(line).replace(r"\ ", r"\s+") for lines in SHARE_FURNITURE_BY_LANGUAGE.values() for line in lines
)

SHARE_FURNITURE = re.compile(
    rf"""^(?:(?:{_SHARE_ELSEWHERE})\s*[?:.]?|share(?:\s+(?:this|on\s+\w+|article|story))?|tweet|email|print|follow\s+us(?:\s+on\s+\w+)?|subscribe(?:\s+now)?
        |sign\s+up(?:\s+for\s+.{{0,40}})?|advertisement|sponsored(?:\s+content)?|skip\s+to\s+(?:main\s+)?content|cookies?\s+policy
        |accept\s+(?:all\s+)?cookies|all\s+rights\s+reserved.*|copyright\s+.{{0,60}}|©\s*.{{0,60}}|back\s+to\s+top|loading\.*)\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Calls to action and site notices that close (or open) an article: follow us, subscribe, share it,
# reading time, "you may also like", copyright notices.
SITE_NOTICE = re.compile(
    r"""^(?:follow\s+.{0,60}\bon\s+(?:facebook|twitter|instagram|linkedin)|subscribe\s+to\b|sign\s+up\s+for\b
        |like\s+this\s+(?:story|article)\?|get\s+the\s+latest\b.{0,40}\binbox|tell\s+us\s+what\s+you\s+think
        |back\s+to\s+(?:gallery|top|home)|you\s+(?:may|might)\s+(?:also\s+)?like|popular\s+(?:on|in)\s+|most\s+(?:popular|read)\b
        |filed\s+under\b|topics:?$|tags?:\s|(?:tempo\s+de\s+leitura|reading\s+time|lesezeit|temps\s+de\s+lecture)\b
        |\d+\s+min(?:ute)?s?\s+read\b|this\s+(?:document|article|material)\s+is\s+subject\s+to\s+copyright
        |the\s+material\s+on\s+this\s+site\s+may\s+not\s+be\s+reproduced)""",
    re.IGNORECASE | re.VERBOSE,
)
SITE_NOTICE_MAX_WORDS = 40
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# A line that is only a date (and time), perhaps after its weekday: "October 06, 2018", "Friday, 5 March
# 2019, 14:05 GMT", "20.11.2019 - 11:28"; never after another word ("Pay Aug 14, 1987" is a dividend's day).
DATE_ONLY = re.compile(
    rf"""^(?:(?:mon|tue|tues|wed|wednes|thu|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+)?(?P<date>\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}
        |\d{{4}}-\d{{2}}-\d{{2}})(?:\s*[-–,|·]?\s*(?:at\s+)?\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{{2,4}})?)?$""",
    re.IGNORECASE | re.VERBOSE,
)
# Share buttons, comment counters and date lines are short; longer lines are story.
FURNITURE_MAX_WORDS = 12

# "Published: 12 March 2019", "Updated on 2019-03-12 14:05": a date line above or below the story.
DATELINE = re.compile(
    r"^(?:published|posted|updated|last\s+updated|first\s+published|date)(?:\s+on)?\s*:?\s*(?P<date>.{4,60})$",
    re.IGNORECASE,
)

# "By Jane Doe | July 12, 2019", "By JANE DOE, Reuters, on 12 July 2019": a byline that dates the story.
BYLINE_DATE = re.compile(
    rf"^by\s+[^|•·]{{2,60}}?(?:\s*[|•·,–-]\s*(?:on\s+)?|\s+on\s+)(?:(?:published|updated)\s*:?\s*)?"
    rf"(?P<date>(?:[a-z]+,?\s+)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:[\s,]+(?:at\s+)?\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{{2,4}})?)?)\.?$",
    re.IGNORECASE,
)

# A wire story's opening: "ANKARA, July 12, 2019 - ", "ANKARA, July 12 (Reuters) - ", "ANKARA (AP) — ",
# "BAHIA BLANCA, Argentina, Feb 26 - ", "NEW YORK, July 12, 2019 /PRNewswire/ -- ". The place is in
# capitals; a date (with or without its year) or an agency must follow it, or else a long dash
# ("WASHINGTON — "): "NATO - the alliance" is a sentence.
_WIRE_DATE = rf"(?i:{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?)"
WIRE_DATELINE = re.compile(
    rf"""^(?P<place>[A-Z][A-Z.'’-]+(?:\s[A-Z][A-Z.'’-]*){{0,3}}(?:,\s[A-Z][a-zA-Z.'’-]+(?:\s[A-Z][a-zA-Z.'’-]+){{0,2}})?)
        (?:,\s+(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?P<date>{_WIRE_DATE}))?
        \s*(?P<agency>\([A-Za-z][A-Za-z.&' -]{{1,30}}\)|/[A-Za-z][A-Za-z.&' -]{{1,30}}/)?
        \s*(?P<dash>--?|–|—)\s+(?=\S)""",
    re.VERBOSE,
)
WIRE_DATELINE_MIN_PLACE = 3  # "US - China talks" is a headline, not a dateline

# A headline is a short line without the closing punctuation of a sentence.
HEADLINE_MAX_WORDS = 30
HEADLINE_MIN_WORDS = 2
SENTENCE_END = re.compile(r"[.,;:]\s*$")
# A derived title (the lead sentence) is cut to this many characters for display.
LEAD_TITLE_MAX_CHARS = 120

# Scraped pages: a block of prose (PROSE_MIN_WORDS words, or a shorter sentence) counts for the story,
# any other line costs NON_PROSE_COST words, so ten menu items outweigh a short paragraph.
PROSE_MIN_WORDS = 15
SENTENCE_MIN_WORDS = 4
SENTENCE_CLOSE = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")
NON_PROSE_COST = 3
NON_PROSE_WEIGHT = 2.5
# A story's stretch is cut where this many lines in a row are not prose; a part below the story's
# main part stays when it holds this share of the main part's prose (below a story lie comments and
# other articles' teasers, which read as prose). Every part above it stays (text.py _main_stretch).
GAP_LINES = 6
PART_SHARE = 0.5
# A line this long cut short with "..." is a teaser of another article, not a story's hesitant quote.
TEASER_MIN_WORDS = 12
# A line this short with a third of its words holding digits is a row of figures (a table).
DATA_ROW_MAX_WORDS = 15
# A line at least this long that does not end a sentence may be a hard-wrapped paragraph's (newswire
# text wraps at about 70 characters; menu items are shorter).
WRAPPED_MIN_CHARS = 30
# A line this long ending in a comma, or starting in lower case, continues a hard-wrapped paragraph.
CONTINUED_MIN_WORDS = 8
# Items of a numbered, bulleted or dated list, which cost a story less than menu lines do.
LIST_ITEM = re.compile(
    rf"^(?:[*•·▪]\s*|[+–-]\s|\d{{1,3}}[.)]\s|\d{{1,3}}[ªºa°]?\s+\w|\(?\d{{1,3}}\)\s|{_MONTH}\s+\d{{1,2}}\b)",
    re.IGNORECASE,
)
# "... on/to/zu “the post's title”", in a comment section's WordPress heading.
_ABOUT = r"(?:to|on|zu|auf|f[üu]r|sur|à|a|para|en|do|na)"
# Lines that open a thread of readers' comments on a news site, with no widget's markup around
# them: "Comments are now closed for this story", "YOUR SAY", "Must be Registered to Respond".
_THREAD_OPENER = r"""(?:comments?\s+(?:are\s+)?(?:now\s+)?closed
            (?:\s+(?:for|on)\s+this\s+(?:story|article|post|entry))?\.?
        |(?:have\s+)?your\s+say|talkback|reader\s+(?:reactions|responses|views)
        |(?:you\s+)?must\s+be\s+(?:registered|logged\s+in|signed\s+in)\s+to\s+(?:respond|comment|reply|post)\.?)"""
# A comment form's title as WordPress renders it, its "Cancel reply" link joined on ("Leave a Reply
# Cancel reply", "Kommentar verfassen Antwort abbrechen"): no story is written under it.
_CANCEL_REPLY = r"""(?:\S.{0,60}?\s*)?(?:click\s+(?:here\s+)?to\s+)?(?:cancel\s+reply|antwort\s+abbrechen
        |annuler\s+la\s+r[ée]ponse|cancelar\s+(?:la\s+)?respuesta|cancelar\s+resposta|annulla\s+risposta
        |anuluj\s+odpowied[źz])"""
# On an HTML page, the text below such a line never counts towards finding the story's container.
# (Only these: "9 Comments" or "Join the conversation" head a forum's thread, which is its content.)
THREAD_OPENER = re.compile(rf"^{_THREAD_OPENER}\s*:?\s*$", re.IGNORECASE | re.VERBOSE)
# The heading of a comment section; what follows it is comments, once a story's worth of prose
# (this many words, or half the page's) lies above it (English, German, French, Spanish, Polish, Portuguese headings).
COMMENT_SECTION_START = re.compile(
    rf"""^(?:[\[{{(]?\s*\d+\s+(?:comments?|responses?|replies|kommentare?|commentaires?|comentarios?|komentarz[ey]?)\b.{{0,30}}
        |(?!.*\.$)\d+\s+(?:thoughts|responses|replies|comments|antworten|gedanken|kommentare|reaktionen|commentaires|r[ée]ponses
            |comentarios|respuestas|coment[áa]rios|komentarz[ey]|odpowiedzi)\s+{_ABOUT}\s+\S.*
        |(?:one|an?|eine?|un[ae]?|uma?|jeden)\s+(?:thought|response|reply|comment|antwort|gedanke|kommentar|reaktion|commentaire
            |r[ée]ponse|comentario|respuesta|coment[áa]rio|komentarz|odpowied[źz])\s+{_ABOUT}\s+[“"„«'‘‚].*
        |(?:top\s+rated|newest|latest|recent|reader)\s+comments
        |{_THREAD_OPENER}
        |{_CANCEL_REPLY}
        |comments?(?:\s*\(\d+\))?|leave\s+a\s+(?:comment|reply)|post\s+a\s+comment|add\s+(?:a\s+|your\s+)?comment
        |join\s+the\s+(?:conversation|discussion)|what\s+do\s+you\s+think\??|show\s+comments
        |kommentare?(?:\s*\(\d+\))?|schreibe?\s+einen\s+kommentar|hinterlasse\s+einen\s+kommentar|kommentar\s+(?:schreiben|verfassen|abgeben)
        |leserkommentare|ihre\s+meinung|commentaires?|laisser\s+un\s+commentaire|comentarios?|deja\s+un\s+comentario
        |komentarze?|dodaj\s+komentarz|coment[áa]rios?|deixe\s+(?:um|seu)\s+coment[áa]rio)\s*[:»›]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
STORY_WORDS_ABOVE_COMMENTS = 150
# What a comment form says about itself ("Your email address will not be published. Required fields
# are marked *", "Notify me of follow-up comments by email", "Your comment has not yet been posted",
# "You may use these HTML tags", Disqus's "comments powered by Disqus", WordPress's "Save my name,
# email, and website in this browser for the next time I comment"), in the sets' languages: in
# a text dump, the form's place, whatever its heading.
TEXT_COMMENT_FORM = re.compile(  # searched on every line: (?=\w)\b lets the engine skip a position at once
    r"""(?=\w)\b(?:your\s+(?:comment\s+(?:has|could|will|is)|e-?mail\s+(?:address\s+)?will\s+not\s+be\s+published)
        |required\s+fields\s+are\s+marked|notify\s+me\s+of\s+(?:follow-up\s+comments|new\s+posts)
        |save\s+my\s+name,?\s+e-?mail|meinen\s+namen,?\s+(?:meine\s+)?e-?mail|enregistrer\s+mon\s+nom,?\s+(?:mon\s+)?(?:e-?mail|adresse)
        |guardar\s+mi\s+nombre,?\s+(?:mi\s+)?correo|salva\s+il\s+mio\s+nome,?\s+e-?mail|mijn\s+naam,?\s+e-?mail
        |(?:deine|ihre)\s+e-mail-adresse\s+wird\s+nicht\s+ver[öo]ffentlicht
        |erforderliche\s+felder\s+sind|votre\s+adresse\s+(?:e-?mail|de\s+messagerie)\s+ne\s+sera\s+pas\s+publi[ée]e
        |les\s+champs\s+obligatoires\s+sont|tu\s+direcci[óo]n\s+de\s+correo\s+electr[óo]nico\s+no\s+ser[áa]\s+publicada
        |los\s+campos\s+obligatorios\s+est[áa]n
        |^you\s+(?:can|may)\s+use\s+these\s+(?:html\s+)?tags|^allowed\s+html\s+tags|comments\s+powered\s+by\s+disqus)""",
    re.IGNORECASE | re.VERBOSE,
)
# The form's own lines above that one (its heading, "Name *", "Email *") are at most this many.
COMMENT_FORM_LEAD_LINES = 4
# A comment form's title opens the section below any prose at all (a sentence's words): it is
# written under a post, however short, never above one.
COMMENT_FORM_TITLE = re.compile(rf"^{_CANCEL_REPLY}\s*$", re.IGNORECASE | re.VERBOSE)
# A comment count ("4 comments", "Comments (12)", "One response to ..."): under a post on a blog's
# front page it heads that post's thread, not the rest of the page.
COMMENT_COUNT = re.compile(
    r"^\[?\s*(?:\d+|one|an?|eine?|un[ae]?|uma?|jeden)\s+\w+|^\w+\s*\(\d+\)\s*:?\s*$", re.IGNORECASE
)
# A bare singular "Comment" heading is as often a story's own subheading (a list's point:
# "Comment", "Briefing", "Data"): it opens no comment section when another heading over prose
# follows it (classify.py _is_subheading).
BARE_COMMENT_HEADING = re.compile(
    r"^(?:comment|kommentar|commentaire|comentario|coment[áa]rio|komentarz)\s*:?\s*$", re.IGNORECASE
)
# A reader's comment signed below its text, as blogs print the signature on a line of its own:
# "Posted by: Ellen at September 10, 2012 11:40 AM" (Movable Type), "Ellen | 10 September 2012",
# "Ellen said on September 10, 2012", "Ellen on 10.09.2012 at 11:40 said:". A run of blocks each
# ending in one is a comment thread (classify.py _drop_signed_comments).
_SIGNED_DATE = rf"""(?:(?:mon|tue|tues|wed|wednes|thu|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+)?
    (?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\.?\s+{_MONTH},?\s+\d{{4}}
      |\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}})
    (?:[\s,]+(?:at\s+|@\s*|-\s+|–\s+)?\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{{2,4}})?)?"""
_SIGNER = r"\S[^|•·]{0,50}?"
# The signature itself, without its line's ends (text dumps' TEXT_COMMENT_SIGNATURE reads it too).
_SIGNED = rf"""(?:(?:posted|written|submitted|comment(?:ed)?)\s+by:?\s+{_SIGNER}
            \s*(?:\bat\b|\bon\b|@|[|•·,–-])\s*{_SIGNED_DATE}
        |{_SIGNER}\s*[|•·]\s*{_SIGNED_DATE}
        |{_SIGNER}\s+(?:said|says|wrote|commented|replied)\s+(?:on|at)\s+{_SIGNED_DATE}
        |{_SIGNER}\s+(?:on|at)\s+{_SIGNED_DATE}\s+(?:said|says|wrote|commented|replied))
        \s*[:.]?\s*(?:[|•·]\s*\w+(?:\s+\w+)?\s*)?"""
COMMENT_SIGNATURE = re.compile(rf"^{_SIGNED}$", re.IGNORECASE | re.VERBOSE)
# A comment's signature is a short line; at least this many comments, each at most this long and
# under no heading, make a thread (a blog's front page signs its posts too, but each has a headline).
SIGNATURE_MAX_WORDS = 20
MIN_SIGNED_COMMENTS = 3
SIGNED_COMMENT_MAX_WORDS = 400
# The same in characters, for finding the story's container (about 150 words of news prose).
STORY_CHARS_ABOVE_COMMENTS = 800
# A comment section's heading is a short piece of text: at most this many characters.
COMMENT_HEADING_MAX_CHARS = 80

# The heading of a list of other articles below (or beside) the story: "Other news:", "More
# articles in Soccer", "More Great WIRED Stories", "Don't Miss", "You may also like". What follows it, while it reads as
# headlines (no sentence's end), goes with it, once a story's worth of prose lies above.
RELATED_SECTION = re.compile(
    rf"""^(?:{_RELATED_ELSEWHERE}|(?:other|more|latest|top|related|recent|popular|further)\s+(?:[\w'’-]+\s+){{0,2}}?(?:news|stories|articles|headlines|posts|reads?|coverage)
            (?:\s+(?:in|from|on|about)\s+\S+(?:\s+\S+){{0,3}})?
        |more\s+(?:in|from|on)\s+\S+(?:\s+\S+){{0,3}}|don'?t\s+miss(?:\s+(?:this|these))?|internal\s+links|elsewhere\s+on\s+\S+(?:\s+\S+){{0,3}}
        |you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)|recommended(?:\s+for\s+you)?
        |(?:what\s+to\s+)?read\s+next|popular\s+now|most\s+(?:read|popular|viewed|shared)(?:\s+(?:stories|articles|today))?
        |in\s+other\s+news|also\s+in\s+the\s+news)\s*[:»›>]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
RELATED_HEADING_MAX_WORDS = 8
# How many dropped blocks (captions, credits, datelines) may sit between a headline and its story.
HEADLINE_LOOKBACK = 4

# Text dumps: a readers' comment thread saved with the story, known by its comments' signatures
# (no markup says where it starts): a line scoring, signing or answering a comment, short.
_SIGNING_VERBS = (
    r"(?:writes|wrote|says|said|sagt|schreibt|schrieb|meint|dit|écrit|dice|escribi[óo]|diz|disse|pisze|napisa[łl]a?)"
)
# When a comment was posted, as its signature line gives it before "Reply": a date, or "3 hours ago".
_POSTED_AT = rf"(?:{_SIGNED_DATE}|\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago)"
# A comment's number before its signature: "Comment #1 - Posted by: ...", "1. Ann - August 8, 2012".
_COMMENT_NUMBER = r"(?:comment\s*\#?\d+\s*[-–—:]\s*|\d{1,3}\.\s+)"
# Who is not a commenter, before a date: a story's own dated lines ("Posted 3 March 2019 10:05").
_NOT_SIGNER = r"(?!(?:posted|updated|published|last|first|date|by)\b)"
_NAME = r"[^\s|•·]+(?:\s+[^\s|•·]+){0,3}?"  # a commenter's name or handle, a few words
TEXT_COMMENT_SIGNATURE = re.compile(
    rf"""^{_COMMENT_NUMBER}?(?:(?P<score>\(score:\s*-?\d+(?:,\s*[a-z]+)?\))                    # "(Score:5, Insightful)"
        |(?P<signed>by\s+\S.{{0,60}}?\s{_SIGNING_VERBS}\s*:                  # "by NAME (1234) writes:"
            |\S.{{0,40}}?\s(?:on|am|le|el|em)\s.{{0,30}}\d.{{0,30}}\s{_SIGNING_VERBS}\s*:?  # "NAME on DATE said:"
            |\S.{{0,40}}?\d.{{0,40}}\s{_SIGNING_VERBS}\s*:                   # "NAME 12.03.2019 14:05 schrieb:"
            |{_COMMENT_AUTHOR})                                              # "Birgit sagt:"
        |(?P<posted>posted\s+by\s*:?\s+\S.{{0,60}}?\s(?:at|on|\||·|-)\s.{{0,40}}\d.{{0,20}}  # "Posted by: NAME, DATE"
            |{_SIGNED})                                                      # the signatures HTML reads: "NAME | DATE"
        |(?P<pipes>[^|]{{2,60}}\|[^|]{{0,40}}\d[^|]{{0,40}}\|\s*(?:reply|permalink|report|quote))  # "NAME|DATE|Reply"
        |(?P<numbered>.{{0,60}}\(\#\d+\))                                    # "on July 24, @10:34AM (#40749375)"
        |(?P<dated>{_NOT_SIGNER}{_NAME}\s*[-–—,]?\s+(?=.*\d[:.]\d\d|\d+\s+\w+\s+ago)  # "Ann 7.1.12 at 07:57"
            {_POSTED_AT}
            |(?<=\.\s){_NAME}\s+[-–—]\s+{_SIGNED_DATE})                     # "1. Ann - August 8, 2012"
        |(?P<linked>(?:https?://|www\.)\S+(?:\s+[^\s.!?:;,]+){{1,4}})            # "http://ann.example.com Ann Lee"
        |(?P<action>(?:{_POSTED_AT}[\s,]*(?:[|·•]\s*)?(?:up\s+)?)?                 # "Aug 9, 2012 1:14 PM EDT reply"
            (?:reply|reply\s*↓|reply\s+to\s+this\b.{{0,30}}|flag\s+as\s+inappropriate
            |report\s+(?:abuse|comment|this(?:\s+comment)?)|permalink|\d+\s+(?:points?|likes?|upvotes?|votes?)|(?:up|down)vote|antworten|r[ée]pondre|responder|odpowiedz))
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
TEXT_COMMENT_SIGNATURE_MAX_WORDS = 16
# A thread is a run of signatures, each at most THREAD_MAX_GAP blocks below the one before (a
# comment's body lies between), opening at the first of a kind (the alternative's group above)
# signed this many times in the run: every comment is signed alike, while a story's own byline
# ("Posted by NAME on DATE") or a quote's "the minister said:" stands alone.
THREAD_MIN_SIGNATURES = 3
THREAD_MAX_GAP = 20
# A thread opens a story's page only below this many words of prose; a text that is a thread
# from its first lines (a forum's saved page) is its own content.
THREAD_STORY_ABOVE_WORDS = 30
# Short lines just above the first signature belong to its comment (its subject, the heading).
THREAD_LEAD_LINES = 2
# The kinds of signature that close a comment ("Reply", "Report abuse", "12 points" below its words):
# the first comment's lines above its signature, as many as a comment commonly takes, are the thread's.
SIGNED_BELOW_KINDS = frozenset({"action"})

# Text dumps: furniture an HTML page marks by its links, which a text dump no longer shows. The
# languages' related-link markers and share lines are the tables above (RELATED_MARKERS_BY_LANGUAGE,
# SHARE_FURNITURE_BY_LANGUAGE), read here as they are; what follows adds only the shapes a text
# needs beside them. A pointer to another article, its headline after the marker: "Lea también: ...",
# or a bare verb of reading, perhaps with "also" ("Lesen Sie: ...", "Zie ook: ...").
_READ_VERB = r"(?:lea|lee|mire|mira|vea|ver|lesen\s+sie|leia|veja|lire|à\s+lire|voir|leggi|vedi|lees|zie|czytaj|zobacz)"
_ALSO = r"(?:también|además|más|auch|mehr|hier|também|mais|aussi|également|anche|ook|meer|też|także|więcej)"
TEXT_RELATED_MARKER = re.compile(rf"^(?:{_RELATED_ELSEWHERE}|{_READ_VERB}(?:\s+{_ALSO})?)\s*[:»›|]\s*\S", re.IGNORECASE)
# The heading of a list of other articles' headlines, which go with it: the tables' markers as a
# line of their own, and these, which no HTML rule needs (there the list's links say it).
_TEXT_RELATED_HEADINGS = r"""weitere\s+news|empfohlene?\s+artikel|empfehlungen\s+aus\s+der\s+redaktion
        |mehr\s+zum\s+thema(?:\s+\S+){0,4}
        |art[íi]culos\s+relacionados|m[áa]s\s+noticias|lo\s+m[áa]s\s+(?:le[íi]do|visto)|temas\s+relacionados
        |articles?\s+(?:connexes|li[ée]s)|not[íi]cias\s+relacionadas
        |related\s+posts|similar\s+posts|more\s+posts|you\s+might\s+also\s+like|previous\s+post|next\s+post"""
TEXT_RELATED_HEADING = re.compile(
    rf"^(?:{_RELATED_ELSEWHERE}|{_TEXT_RELATED_HEADINGS})\s*[:.…]*\s*$", re.IGNORECASE | re.VERBOSE
)
# A line of share, like, tag and comment-prompt furniture: the tables' share and print lines, and
# the names of the networks, like buttons, tag and category labels, paging between posts.
_TEXT_FURNITURE = r"""share\s+this(?:\s+(?:article|story|post))?|(?:diesen\s+(?:artikel|beitrag)\s+)?teilen(?:\s+mit)?
        |comparte
        |compartilhe|facebook|twitter|pinterest|reddit|whatsapp|linkedin|telegram|tumblr
        |xing|flipboard|like\s+this|gefällt\s+mir|(?:\d+|%d)?\s*bloggern?\s+gefällt\s+das|like\s+loading|gefällt\s+mir\s+wird\s+geladen
        |pinnen|pin\s+it|view\s+comments|kommentar\s+verfassen|kommentare?\s+anzeigen
        |ver\s+comentarios|voir\s+les\s+commentaires|markiert\s+mit|schlagw[öo]rter|kategorien?|tags?|etiquetas|categor[íi]as?
        |tagged\s+with|older\s+posts?|newer\s+posts?|vorheriger\s+beitrag|nächster\s+beitrag|entrada\s+anterior|siguiente\s+entrada
        |empfohlener\s+redaktioneller\s+inhalt|kommentar\s+hinzufügen|kommentieren\s+sie|zurück(?:\s+zur\s+übersicht)?
        |(?:fanden\s+sie\s+diesen\s+artikel|war\s+dieser\s+artikel|was\s+this\s+(?:article|page))\s+(?:nützlich|hilfreich|helpful)\?
        |teilen\s+sie\s+dies\s+mit|anzeige|werbung|advertisement|publicidad|publicit[ée]|pubblicit[àa]|reklama
        |advertise\s*\|\s*adchoices|continue\s+reading\s+the\s+main\s+story|trackback\s+url\s+for\s+this\s+entry
        |this\s+video\s+is\s+playable\s+across\s+all\s+supported\s+devices
        |view\s+this\s+post\s+on\s+instagram|sieh\s+dir\s+diesen\s+beitrag\s+auf\s+instagram\s+an
        |oops!\s+something\s+went\s+wrong\s+while\s+submitting\s+the\s+form|thank\s+you!\s+your\s+submission\s+has\s+been\s+received!?"""
TEXT_FURNITURE = re.compile(rf"^(?:{_SHARE_ELSEWHERE}|{_TEXT_FURNITURE})\s*[?:.…]*\s*$", re.IGNORECASE | re.VERBOSE)
# A comment count of none ("Comments (0)", "0 comments", "No Comments"): under a post on a blog's
# front page, saved as text, it heads no thread; the next post follows it.
TEXT_NO_COMMENTS = re.compile(
    r"^\W*(?:(?:0|no)\s+(?:comments?|responses?|kommentare?|commentaires?|comentarios?)|comments?\s*\(0\))\W*$",
    re.IGNORECASE,
)
# A cookie banner's text, which HTML knows by its class ("cookie", "consent"): the site speaking of
# its own cookies ("This website uses cookies to improve your experience", "Necessary cookies are
# absolutely essential for the website to function"), never a story's sentence about them; and a
# consent manager's purposes ("The technical storage or access is strictly necessary for ...", as
# WordPress's Complianz words each in every language it ships), a story's length of them at a
# page's end.
TEXT_COOKIE_NOTICE = re.compile(  # searched on every short line: (?=\w) skips a position at once
    r"""(?=\w)\b(?:(?:this|our)\s+(?:web\s*)?site\s+uses\s+cookies|we\s+use\s+cookies|we\s+(?:and\s+our\s+partners\s+)?use\s+cookies
        |cookies?\s+(?:policy|settings|preferences)\b|necessary\s+cookies|accept\s+(?:all\s+)?cookies
        |by\s+continuing\s+to\s+(?:use|browse)\s+(?:this|our|the)\s+(?:web\s*)?site
        |cookie\s+consent|manage\s+(?:cookies?|consent)\b
        |(?:diese|unsere)\s+(?:website|webseite|seite|homepage)\s+(?:verwendet|nutzt|benutzt)\s+cookies
        |wir\s+(?:verwenden|nutzen|setzen)\s+(?:technologien\s+wie\s+)?cookies|notwendige\s+cookies
        |cookie-(?:einstellungen|zustimmung|richtlinie|hinweis|banner)|cookies\s+akzeptieren
        |ce\s+site\s+utilise\s+des\s+cookies|nous\s+utilisons\s+des\s+cookies|accepter\s+(?:tous\s+)?les\s+cookies
        |este\s+sitio\s+(?:web\s+)?utiliza\s+cookies|utilizamos\s+cookies|usamos\s+cookies
        |aceptar\s+(?:todas\s+las\s+)?cookies|questo\s+sito\s+(?:web\s+)?utilizza\s+(?:i\s+)?cookie|utilizziamo\s+(?:i\s+)?cookie
        |ta\s+strona\s+(?:u[żz]ywa|wykorzystuje)\s+(?:plik[óo]w\s+)?cookies?
        |technical\s+storage\s+or\s+access|technische\s+speicherung\s+oder\s+(?:der|den)\s+zug(?:ang|riff)
        |stockage\s+ou\s+l.acc[eè]s\s+technique|almacenamiento\s+o\s+(?:el\s+)?acceso\s+t[eé]cnico
        |archiviazione\s+tecnica\s+o\s+l.accesso|technische\s+opslag\s+of\s+toegang
        |przechowywanie\s+(?:lub|albo)\s+dost[eę]p\s+techniczny)""",
    re.IGNORECASE | re.VERBOSE,
)
COOKIE_NOTICE_MAX_WORDS = 150  # a banner's paragraph explaining its cookies runs to about a hundred
# A photo's credit in the sets' languages: "Foto: Christof Stache", "Imagen: EFE" (CREDIT_MAX_WORDS at most).
TEXT_CREDIT_LINE = re.compile(
    r"^(?:foto|fotos|bild|bilder|fotograf[íi]a|imagen|photo|crédito|crédit)\s*:\s*\S", re.IGNORECASE
)
# A blog entry's closing line: "This entry was posted in News and tagged ports. Bookmark the permalink."
ENTRY_META = re.compile(
    r"^(?:this\s+entry\s+was\s+posted\s+(?:in|on)|dieser\s+(?:eintrag|beitrag)\s+wurde\s+.{0,60}?veröffentlicht"
    r"|cette\s+entrée\s+a\s+été\s+publiée|esta\s+entrada\s+(?:fue|se)\s+publicó?|questo\s+articolo\s+è\s+stato\s+pubblicato)\b",
    re.IGNORECASE,
)


# HTML pages: what an element's tag and its class or id words say about it, and how the story's
# container is found.
INVISIBLE_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "object",
    "embed",
    "head",
    "button",
    "select",
    "input",
    "textarea",
    # Ruby annotations: a reading printed small above its word (Japanese furigana). Read inline,
    # it glues the reading into the text ("外国人がいこくじん"), so neither word is found.
    "rt",
    "rp",
]
INVISIBLE_SET = set(INVISIBLE_TAGS)
# What an HTML <head> may hold; anything else there (a story inside an unknown tag, on a page with
# no <body>) is content a browser shows, and is read as the body's.
HEAD_ELEMENTS = frozenset({"title", "meta", "link", "script", "style", "base", "noscript", "template", "object"})
# Of those, the ones lxml's builder need not build: the head holds the page's metadata.
# A <button> is built all the same: lxml's parser (libxml2) ignores a `</button>` while an element
# opened inside it is still open (`<button><div><div></button>`, where a browser closes all three),
# so the rest of the page can end up inside the button.
INVISIBLE_SKIPPED = INVISIBLE_SET - {"head", "noscript", "button"}
# A button's label is a few words; a "button" holding more is a page the parser put inside one
# (see above): its content is read as the page's, not removed.
MAX_BUTTON_WORDS = 40
# <noscript> is read in place of the page when it holds more text than the rest, and this much at
# least: a page built by scripts (a forum's thread) keeps its text there; most pages keep a pixel.
MIN_NOSCRIPT_CHARS = 200
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dd", "dt", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "figure", "figcaption", "header",
    "footer", "nav", "aside", "form", "address", "body", "html", "hr", "br",
}  # fmt: skip
CAPTION_REASON = "photo caption"
# Elements that are furniture by their tag alone, with the reason reported for them.
FURNITURE_TAGS = {
    "nav": "navigation",
    "footer": "page footer",
    "aside": "sidebar",
    "form": "form",
    "figure": CAPTION_REASON,
    "figcaption": CAPTION_REASON,
}
# A story told in its photos' captions (a photo blog's post): captions holding this many words,
# and this many times the words the story's container holds besides, are the story, and stay.
PHOTO_STORY_MIN_WORDS = 150
PHOTO_STORY_SHARE = 2.0
# A <figure> holding these is content set as a figure (a data table, a pull quote: as WordPress's
# blocks set them), not a photo's caption.
FIGURE_CONTENT = ["table", "blockquote"]
# Class or id words of furniture that no story container carries ("article-comments" is comments).
# Comment sections, and readers' reviews on shop and product pages ("reviews", a review widget).
# A live ticker's entries ("live-match-comment", "livecomments": a match's minute-by-minute
# commentary) are the story, not readers' comments.
COMMENT_CLASS = re.compile(
    r"(?<!live)(?<!live-)(?<!live_)(?<!match-)comment|disqus|respond|replies|discussion|review[-_]?widg|jdgm-rev"
    r"|(?:product|customer|user)[-_]?reviews",
    re.I,
)
# Cookie and privacy notices, and a box shown over the page (an "overlay", WordPress's Popup
# Maker's "popmake": a survey, a sign-up), which hides its text until opened: never a story's
# container. The word itself: "ob-has-background-overlay" styles a page builder's box of any kind,
# "article-overlay-handle" is a story's, and a "popup" or "modal" may open a hotel's fact sheet or a
# site's stories.
NOTICE_CLASS = re.compile(r"cookie|consent|gdpr|privacy|(?<![\w-])(?:overlay|popmake)(?![\w-])", re.I)
# The reasons a dropped block gives that rules of both modes set and the block model reads (judge.py).
COMMENT_REASON = "comment section"
RELATED_REASON = "related link"
# A reader's comment's signature ("Posted by: Ellen at September 10, 2012 11:40 AM"): its date is
# the comment's, so it is not a dateline (which dates the story).
SIGNATURE_REASON = "comment signature"
ALWAYS_FURNITURE_CLASS = [
    (COMMENT_CLASS, COMMENT_REASON),
    (
        re.compile(r"related|recommend|more-stories|read-more|readmore|also-read|outbrain|taboola", re.I),
        "related links",
    ),
    (re.compile(r"share|social|sharing|follow-us", re.I), "share/navigation furniture"),
]
# Class or id words of furniture; an element whose class also names the content is kept.
FURNITURE_CLASS = [
    (re.compile(r"(?<![a-z])(?:nav|menu|breadcrumbs?|masthead|topbar)(?![a-z])|navigation|navbar", re.I), "navigation"),
    (re.compile(r"footer|copyright", re.I), "page footer"),
    # A page builder's widget ("elementor-widget", "siteorigin-widget", "so-widget") is one of the
    # blocks it builds the whole page from, the story's included, not a sidebar's.
    (re.compile(r"sidebar|(?<!elementor-)(?<!siteorigin-)(?<!so-)widget|popular|trending|most-read", re.I), "sidebar"),
    (re.compile(r"cookie|consent|gdpr|subscribe|newsletter|signup|paywall|modal|popup", re.I), "banner"),
    # (Not a modifier saying the element carries ads among its own text: "TestReport__Section--Ads",
    # "has-ads", "with-ads" are a review's sections.)
    (
        re.compile(r"(?<![a-z])(?<!--)(?<!has-)(?<!with-)(?:ads?|advert\w*|sponsor\w*|promo\w*|banner)(?![a-z])", re.I),
        "advertisement",
    ),
    (re.compile(r"caption|credit", re.I), CAPTION_REASON),
    (re.compile(r"byline|author|dateline", re.I), "byline"),
]
# A class word denying a furniture word names what the element is not: "non-paywall" is the free
# part of a story, "no-sidebar" a layout without one. ("no-comments" is the notice that a comment
# section has none, and stays a comment word.)
NEGATED_NAME = re.compile(r"(?<![\w-])no[nt]?[-_](?!comment)[\w-]+")
# Class or id words of a story's container.
CONTENT_CLASS = re.compile(r"article|story|content|entry|post-body|main|text")
# The patterns above as one, to rule out most elements with a single search. These and CONTENT_CLASS
# take class and id words lowercased: the patterns are lowercase, and a case-blind search took four
# times as long.
ANY_ALWAYS_FURNITURE_CLASS = re.compile("|".join(p.pattern for p, _ in ALWAYS_FURNITURE_CLASS))
ANY_FURNITURE_CLASS = re.compile("|".join(p.pattern for p, _ in FURNITURE_CLASS))
NO_STORY_CLASS = re.compile(f"{COMMENT_CLASS.pattern}|{NOTICE_CLASS.pattern}")
# A class or id that is the word "sidebar" alone: the page's sidebar, never the story's container.
SIDEBAR_NAME = re.compile(r"(?<![\w-])sidebar(?![\w-])")
# A page that declares itself a discussion thread (a forum topic, a question with its answers),
# where the posts are the content: schema.org types in JSON-LD or microdata, or forum software.
_THREAD_TYPES = r"(?:DiscussionForumPosting|QAPage)"
THREAD_JSON_LD = re.compile(rf'"@type"\s*:\s*\[?\s*"(?:https?://schema\.org/)?{_THREAD_TYPES}"')
THREAD_ITEMTYPE = re.compile(rf"schema\.org/{_THREAD_TYPES}\b")
# A question or an answer of a Q&A page (schema.org microdata). The comments under such a post
# (Stack Exchange's "comment-copy" lines) are readers' remarks, not posts: WCXB's forum gold and
# trafilatura-eval's comment index both leave them out.
QA_POST_ITEMTYPE = re.compile(r"schema\.org/(?:Question|Answer)\b")
# Forum software's page template named on <html> or <body>: XenForo's data-template="thread_view",
# phpBB's "section-viewtopic", vBulletin's "showthread" (31 of WCXB's 112 forum pages, none of its
# 1,327 other pages).
THREAD_TEMPLATE = re.compile(r"thread[_-]?view|viewtopic|showthread|forum[_-]?(?:discussion|topic|thread)", re.I)
FORUM_SOFTWARE = re.compile(
    r"(?:discourse|vbulletin|phpbb|xenforo|invision|mybb|simple\s+machines|smf|nodebb|flarum|vanilla)\b", re.I
)
NEVER_REMOVED = {"html", "body", "article", "main"}
# An element named like furniture that holds this share of its container's text, this much, and a
# paragraph of prose wraps the page rather than sits beside the story (a site header the parser
# left open over the whole page, a page builder's "widget" box): it is looked into, not removed.
# Comment sections are removed however much they hold.
WRAPPER_SHARE = 0.8
MIN_WRAPPER_CHARS = 1000
ARTICLE_TAGS = frozenset({"article", "main"})  # elements that say they hold the page's story
PARAGRAPH_TAGS = {"p", "pre", "blockquote", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "td", "th"}
# Climb from the best element to an ancestor holding this many times its paragraph text.
CLIMB_GAIN = 1.5
CLIMB_LEVELS = 3
# Levels are counted without wrappers of one element (html.py _richer_ancestor); an ancestor more
# than CLIMB_LEVELS elements up must hold this many times the text: a short story (a paywall's
# lead, a brief) sits a few wrappers below a page of other stories' teasers, which hold more.
FAR_CLIMB_GAIN = 3.0
# A sibling of the story's container joins it with this share of its paragraph text, or when it is
# itself a paragraph this long.
SIBLING_SHARE = 0.2
SIBLING_PARAGRAPH_CHARS = 80
# A story split into boxes (html.py _story_boxes): a box looks like story when at most this share of
# its text is in links and this share is paragraph or heading text, or when it is a line this short
# (a subheading, a caption, a date); the search for them climbs at most this many levels. A link
# share of 0.5 (captions with credit links let in) scored lower on five of the seven extraction
# sets in an earlier form of the rule.
STORY_BOX_LINK_SHARE = 0.3
STORY_BOX_PROSE_SHARE = 0.8
SHORT_LINE_CHARS = 60
MAX_STORY_BOX_LEVELS = 10
# A box holding a photo and at most this much text (its caption and credit, often linked) is
# passed over by that search: the story's boxes go on beyond it.
PHOTO_TAGS = ["img", "picture"]
MAX_PHOTO_CAPTION_CHARS = 200
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
HEADLINE_TAGS = frozenset({"h1", "header"})  # a box holding the page's headline holds its standfirst and byline
# A sibling next to the story's container joins it when it holds a list or table of at least this
# many items with at most a tenth of its text in links: a list of other articles (linked headlines
# over their teasers) or a byline (linked names) has more, and joined them cost 0.007 of word-F1 on
# the Readability pages when half was allowed.
LIST_ITEM_TAGS = ["li", "tr", "dt"]
MIN_LIST_ITEMS = 3
MAX_ITEMS_LINK_SHARE = 0.1
# Elements that label a value in a list or table ("Comments: 12" among a page's statistics): never
# a comment section's heading.
LABEL_TAGS = frozenset({"dt", "dd", "li", "td", "th"})
# The page itself, above any container: never a paragraph, nor where a climb for the story goes.
PAGE_LEVELS = frozenset({"body", "html", "[document]"})
# A comment section's heading box holds at most this many pieces of text ("12", "Comments").
COMMENT_HEADING_PIECES = 3
# A block with this share of its text in links is a list of links, not a paragraph.
MAX_PARAGRAPH_LINK_SHARE = 0.5
# Paragraphs shorter than this are not evidence of where the story is.
MIN_PARAGRAPH_CHARS = 25
# A page's declared article text (JSON-LD articleBody) replaces what was found in its HTML when that
# holds less than this share of its words: the story is then rendered by scripts, or hidden.
DECLARED_BODY_SHARE = 0.5
MIN_DECLARED_WORDS = 30
DATE_META = [
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "publish-date"),
    ("name", "date"),
    ("name", "dc.date"),
    ("name", "DC.date.issued"),
    ("name", "sailthru.date"),
    ("property", "og:published_time"),
]
PUBLISHED_META = re.compile(
    r"publish(?!er)|pub[-_.]?date|release[-_.]?date|date[-_.]?published|^[a-z]+[.:_-]date$", re.IGNORECASE
)  # the last: a site's own prefix on "date" ("ms.date", "article.date")
# Elements marked as holding the page's date: class="post-date", "entry-date", "meta-date",
# "article__date", "published", "dateline". Only the first is read: later ones date other stories.
DATE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:date|dates|dateline|published|pubdate|publish-date|posted-on|timestamp)(?:$|[\s_-])", re.IGNORECASE
)
SHOWN_DATES_READ = 1
UPDATED_LINE = re.compile(r"^\W*(?:last\s+)?(?:updated|modified|reviewed|revised)\b", re.IGNORECASE)
# A publication date in a page's script data, where pages built by scripts keep it
# ({"first_publication_date":"2025-08-04T11:55:39+0000"}); only the first, as with shown dates.
SCRIPT_PUBLISHED = re.compile(
    r'"(?:datePublished|date_published|first_publication_date|publishedAt|published_at|publishDate|publish_date|'
    r'publishedDate|pubDate)"\s*:\s*"(?P<date>\d{4}-\d{2}-\d{2}[^"]{0,30})"'
)
SHOWN_DATE_MAX_CHARS = 80
MODIFIED_META = re.compile(r"modif|updat|revis|expir|edit", re.IGNORECASE)
TITLE_SEPARATORS = re.compile(r"\s+[|–—·:»-]\s+")

# The commonest function words of the sets' languages (English, German, French, Spanish, Italian,
# Dutch, Portuguese): prose is dense with them, menus and teasers are not (jusText's measure).
STOPWORDS = frozenset(
    """the a an and or of to in on at for with by from is are was were be been it its that this as not but
    have has had he she they we you i his her their our will would can said more than also
    der die das und oder ein eine einer ist sind war wurde nicht mit von zu im auf für den dem des sich auch
    als bei nach wie aus es er sie wir ich noch nur um
    le la les et ou un une des du est sont dans pour avec sur par pas qui que ne au aux ce il elle
    el los las y o una es son en por con para del al lo se su que
    il lo gli e di che non per con una sono da nel della
    de het een en van is niet met op voor zijn dat er
    o os as um uma em com para não do da dos das que se""".split()  # noqa: SIM905 - a line per language reads better
)

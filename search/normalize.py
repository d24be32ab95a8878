"""One normalization for indexed text and for the reader's query, so both meet halfway.

Arabic is written with optional short vowels, several shapes of alef, a final ya that may be
dotless and a ta marbuta that is often typed as ha; words carry clitics (و "and", ف "so",
ال "the", بال "with the", لل "for the"). PostgreSQL's ``arabic`` stemmer handles none of that
reliably, so text is normalized here, word by word, before the database ever sees it:

* letters are case-folded; marks (Arabic tashkeel U+064B–U+065F, U+0670 superscript alef,
  Quranic marks, Hebrew niqqud, Latin accents) are removed; tatweel (ـ) is removed;
* أ إ آ ٱ (and the rarer wavy-hamza alefs) become ا; ى becomes ي; ة becomes ه;
  Arabic-Indic digits become 0–9;
* control and format characters (bidi marks, zero-width joiners, NUL) are dropped;
* an Arabic word loses its leading clitics as long as a stem of three letters is left, so
  "والمنظمات", "المنظمات" and "منظمات" are the same term.

Stripping is deliberately blunt: a word whose root begins with و or ف loses that letter too,
but it does so in the text and in the query alike, so matches are not lost.
"""

import functools
import re
import unicodedata

ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",  # alef wasla
        "ٲ": "ا",  # alef with wavy hamza above
        "ٳ": "ا",  # alef with wavy hamza below
        "ى": "ي",  # alef maqsura
        "ة": "ه",  # ta marbuta
        "ـ": None,  # tatweel
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},  # Eastern Arabic-Indic digits
    }
)

# Longest first: "وال" must be tried before "و". Single ب, ك and ل are not stripped: too many
# roots begin with them.
CLITIC_PREFIXES = ("وبال", "وكال", "فبال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال", "و", "ف")
MIN_STEM = 3

WORD = re.compile(r"[^\W_]+")


def normalize(text):
    """Text in the form it is matched in: folded, without marks, Arabic letters unified."""
    text = unicodedata.normalize("NFC", text or "").casefold().translate(ARABIC_LETTERS)
    out = []
    for char in unicodedata.normalize("NFKD", text):
        category = unicodedata.category(char)
        if category == "Mn":  # tashkeel, niqqud, accents
            continue
        if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            # Control characters separate words; format characters (bidi marks, joiners) do not.
            if category == "Cc":
                out.append(" ")
            continue
        out.append(char)
    # Decomposition can reveal letters the table maps (e.g. a presentation-form alef).
    return unicodedata.normalize("NFC", "".join(out)).translate(ARABIC_LETTERS)


def strip_clitics(word):
    """An Arabic word without its leading conjunction, preposition and article."""
    stripped = True
    while stripped:
        stripped = False
        for prefix in CLITIC_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
                word = word[len(prefix) :]
                stripped = True
                break
    return word


def terms(text):
    """The words of a text as they are indexed and searched for."""
    # No word spans white space (normalizing never removes it or joins across it), so each
    # white-space-separated piece is read on its own, and the common ones are remembered:
    # normalizing letter by letter is most of the cost of indexing.
    return [term for piece in (text or "").split() for term in piece_terms(piece)]


# 10,000 pieces are a few MB per process (web workers call terms() for queries and snippets);
# the 10% synthetic dataset has 10,877 distinct ones.
@functools.lru_cache(maxsize=10_000)
def piece_terms(piece):
    return tuple(strip_clitics(word) for word in WORD.findall(normalize(piece)))

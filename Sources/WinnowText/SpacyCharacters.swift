/// spaCy's English punctuation classes (`spacy.lang.punctuation`, `spacy.lang.char_classes`;
/// MIT licence), one set for the two spaCy-style tokenizers: `EnglishTokenizer` (raw text) and
/// `WordTokenizer` (text after `simplify_text`).
enum SpacyCharacters {
    /// Quotes and brackets split off either end of a chunk.
    static let quotes = "'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》〈〉〈〉⟦⟧"
    /// Punctuation split off either end of a chunk.
    static let punct = "…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪"
    /// Currency signs: a prefix, or a suffix after a digit.
    static let currency = "$£€¥฿₽﷼₴₠₡₢₣₤₥₦₧₨₩₪₫₭₮₯₰₱₲₳₵₶₷₸₹₺₻₼₾₿"
    /// Split off the start of a chunk only.
    static let prefixOnly = "§%=—–"
    /// Hyphens, an infix between a letter or digit and a letter.
    static let hyphens = "-–—~"
    /// An infix between a letter or digit and a letter.
    static let infixAfterAlnum = ":<>=/"
}

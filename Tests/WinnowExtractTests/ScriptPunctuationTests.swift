import XCTest
@testable import WinnowExtract

/// Sentence ends and punctuation of scripts that do not use "." and ",": the danda of Hindi,
/// Bengali, Marathi (।), Urdu's full stop (۔), the Arabic comma and question mark (، ؟), Armenian
/// (։), Ethiopic (።), Myanmar (။), Khmer (។). Text in them read as no sentence and no
/// punctuation: no paragraph of it was prose, and a page of one-sentence paragraphs lost its story
/// to a bio beside it. Found by writing the scored pages' sentence ends in those marks
/// (`bench/extraction/script_punctuation.py`; danda: 133 of 1,922 pages came out otherwise, 47 by
/// over a tenth of their words), not on gold text.
final class ScriptPunctuationTests: XCTestCase {
    static let sentences = [
        "परिषद ने मंगलवार रात मुख्य सड़क के कोने पर बने पुराने पुस्तकालय को बंद करने के लिए मतदान किया।",
        "निवासी महीनों से कह रहे थे कि इमारत बच्चों के लिए खुली रहनी चाहिए।",
        "महापौर ने कहा कि शहर अब छत की मरम्मत का खर्च नहीं उठा सकता।",
        "अगले वसंत में स्कूल में एक नया वाचनालय खुलेगा जिसका समय भी लंबा होगा।",
        "गर्मियों में किताबें वहाँ ले जाई जाएँगी और पुरानी इमारत बेच दी जाएगी।",
        "कुछ निवासियों ने कहा कि वे बिक्री से पहले इस फैसले को अदालत में ले जाएँगे।",
        "पुस्तकालय पहली बार 1911 में एक स्थानीय परिवार के दान से खुला था।",
        "परिषद अगले महीने फिर बैठक करेगी और तय करेगी कि पैसे का क्या किया जाए।",
    ]
    static let bio = "जेन डो उन्नीस साल से इस अखबार के लिए नगर निगम की खबरें लिख रही हैं, और उससे पहले उन्होंने पड़ोसी जिले के "
        + "एक साप्ताहिक अखबार के लिए स्कूलों, सड़कों और मौसम के बारे में लिखा, जो 2004 में बंद हो गया।"

    func page(_ sentences: [String]) -> String {
        "<html><body>" + TestPages.menu + "<div id=main><h1>पुराना पुस्तकालय बंद होगा</h1><div class=story>"
            + sentences.map { "<p>\($0)</p>" }.joined() + "</div></div><div id=side><div class=profile><p>\(Self.bio)</p></div></div></body></html>"
    }

    /// One sentence to a paragraph, the story is the content whichever mark ends its sentences,
    /// as it is with ".": the bio beside it stays out.
    func testAStoryOfOneSentenceParagraphsIsTheContentInEveryScriptsMarks() {
        for mark in ["।", ".", "۔", "։", "።", "။", "។", "؟"] {
            let story = Self.sentences.map { String($0.dropLast()) + mark }
            XCTAssertEqual(HTMLExtractor().extract(page(story)).text, story.joined(separator: "\n"), mark)
        }
    }

    func testSentenceEndsAndPunctuation() {
        for text in ["यह बहस दस साल से चल रही थी।", "नया पुल खुला रहेगा॥", "کام اگلے سال شروع ہوگا۔", "هل سيفتح الجسر الجديد؟",
                     "Նոր կամուրջը կբացվի։", "አዲሱ ድልድይ ይከፈታል።", "တံတားသစ် ဖွင့်မည်။", "ស្ពានថ្មីនឹងបើក។", "«هل سيفتح الجسر؟»",
                     "ཟམ་གསར་པ་ཁ་ཕྱེ།", "ស្ពានថ្មីនឹងបើក៕", "አዲሱ ድልድይ ይከፈታል፧"] {
            XCTAssertTrue(HTMLExtractor.endsSentence(Array(text.utf8)), text)
            XCTAssertGreaterThan(HTMLExtractor.measure(Array(text.utf8)).punct, 0, text)
        }
        XCTAssertEqual(HTMLExtractor.measure(Array("الجسر، المدينة، النهر".utf8)).punct, 2)
        XCTAssertEqual(HTMLExtractor.measure(Array("الجسر، المدينة".utf8)).units, 2, "a comma set after a word starts none")
        XCTAssertEqual(HTMLExtractor.measure(Array("الجسر ، المدينة ؛ النهر".utf8)).units, 5, "alone between spaces, a mark is a word, as \" . \" is")
        XCTAssertEqual(HTMLExtractor.measure(Array("पुल खुला रहेगा । नया पुल".utf8)).units, 6)
        XCTAssertEqual(HTMLExtractor.measure(Array("Πού είναι η γέφυρα\u{037E}".utf8)).punct, 1)
        XCTAssertEqual(HTMLExtractor.measure(Array("တံတား၊ မြို့".utf8)).punct, 1)
        // A character of CJK Extension B (U+25924, F0 A5 A4 A4) shares its middle bytes with । and is no mark.
        XCTAssertEqual(HTMLExtractor.measure(Array("bridge \u{25924} river".utf8)).punct, 0)
        // Letters of those scripts are no sentence end.
        for text in ["यह बहस दस साल से चल रही थी", "الجسر الجديد", "Նոր կամուրջը"] {
            XCTAssertFalse(HTMLExtractor.endsSentence(Array(text.utf8)), text)
        }
    }
    /// A sentence with links of its own closed by another language's quote: German „…“, French
    /// « … » (a space or a no-break space inside), Swedish »…», a Chinese 「…」. The quote must
    /// follow a sentence end: a name in quotes, or a quotation cut short, is no sentence.
    func testALinkedSentenceClosedByAnotherLanguagesQuote() {
        func linked(_ text: String, _ link: String) -> HTMLExtractor.Block {
            var b = HTMLExtractor.Block()
            b.bytes = Array(text.utf8)
            b.linkBytes = Array(link.utf8).count
            return b
        }
        for text in ["Der Bürgermeister sagte der Stadtzeitung am Dienstag: „Wir bauen die Brücke vor dem Winter.“",
                     "Le maire a déclaré au journal de la ville mardi : « Nous reconstruirons le pont avant l'hiver ! »",
                     "Le maire a déclaré au journal de la ville mardi : «\u{00A0}Nous reconstruirons le pont avant l'hiver.\u{00A0}»",
                     "Borgmästaren sade till stadens tidning i tisdags: »Vi bygger bron före vintern.»"] {
            XCTAssertTrue(HTMLExtractor.isLinkedSentence(linked(text, "der Stadtzeitung am Dienstag")), text)
        }
        for text in ["Der Bürgermeister sagte der Stadtzeitung am Dienstag etwas über „die neue Brücke“",
                     "Der Bürgermeister sagte der Stadtzeitung am Dienstag: „Wir bauen die Brücke vor dem...“"] {
            XCTAssertFalse(HTMLExtractor.isLinkedSentence(linked(text, "der Stadtzeitung am Dienstag")), text)
        }
    }
}

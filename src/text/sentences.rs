//! Sentences of a paragraph, in the five languages, by rules.
//!
//! A sentence may start after whitespace that follows a stop (. ! ? …, then any closing
//! quotes and brackets) and comes before a capital or a number, never before a lower-case
//! word. Per language, then:
//! - no break after an abbreviation that never ends a sentence (Mr., z. B., т. е., Sra.), nor
//!   after one that seldom does (U.S., Inc., г., an initial such as J.) unless a word that
//!   opens sentences (The, Der, Il, Он) follows; etc. and its kin end a sentence before a
//!   capital;
//! - no break after a number before a month (3. März), nor after a German ordinal (der 2.
//!   Weltkrieg) unless a word that opens sentences follows; none after a list marker or a
//!   label alone (1., IV., Q.);
//! - a straight quote standing apart after the stop closes the sentence when a quotation is
//!   open (`ersatz. " "Café`);
//! - a heading run into its paragraph without a stop ends before a capitalised word that opens
//!   sentences (`Draw The last sixteen …`), when the heading does not end on such a word
//!   itself and is not in title case.
//!
//! Crates compared on the shared news sets before these rules were written (sentencex, srx
//! with LanguageTool's rules, Unicode's UAX #29 from unicode-segmentation) stayed below 0.97
//! of the boundaries on one set or both; UAX #29's breaks, taken as the candidates here,
//! changed nothing against "a stop, then whitespace", so none is a dependency.

use super::{ByLang, Lang};
use rustc_hash::FxHashSet;
use std::ops::Range;
use std::sync::LazyLock;

/// How a paragraph is cut into sentences: `split` finds them, `lines` takes each non-empty
/// line as one (for input already one sentence a line).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum SentenceMode {
    #[default]
    Split,
    Lines,
}

impl SentenceMode {
    /// The sentences of `text` in this mode, as byte ranges (see [`split`]); a range with no
    /// text ([`has_text`](super::has_text)) is no sentence and joins a neighbour.
    pub fn sentences(self, text: &str, lang: Lang) -> Vec<Range<usize>> {
        let ranges = match self {
            SentenceMode::Split => split(text, lang),
            SentenceMode::Lines => lines(text),
        };
        with_text(ranges, text)
    }
}

/// Sentence ranges of `para`, each one without text (control or invisible characters
/// alone, see [`has_text`](super::has_text)) joined to the sentence before it, or to
/// the one after it at the paragraph's start: it is no sentence, and its characters stay
/// where they stood.
fn with_text(ranges: Vec<Range<usize>>, para: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    let mut pending: Option<usize> = None;
    for r in ranges {
        if super::has_text(&para[r.clone()]) {
            out.push(pending.take().unwrap_or(r.start)..r.end);
        } else if let Some(last) = out.last_mut() {
            last.end = r.end;
        } else {
            pending.get_or_insert(r.start);
        }
    }
    out
}

/// Each non-empty line of `text`, trimmed, as a byte range.
pub fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split('\n') {
        let start = at;
        at += line.len() + 1;
        if let Some(r) = trimmed(text, start..start + line.len()) {
            out.push(r);
        }
    }
    out
}

/// The sentences of one paragraph as byte ranges into it: in order, trimmed of whitespace,
/// never empty, and together covering every character that is not whitespace.
pub fn split(text: &str, lang: Lang) -> Vec<Range<usize>> {
    let rules = Rules::of(lang);
    let mut out = Vec::new();
    let mut from: Option<usize> = None;
    // Straight quotes before the character at hand: an odd count leaves a quotation open.
    let mut quotes = 0usize;
    let mut after_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            after_space = true;
            continue;
        }
        match from {
            None => from = Some(i),
            // A lower-case word continues the sentence (see `Rules::breaks`).
            Some(start) if after_space && !c.is_lowercase() => {
                let b = past_closing_quote(text, i, quotes % 2 == 1);
                if b > start && b < text.len() && rules.breaks(text, start, b) {
                    out.extend(trimmed(text, start..b));
                    from = Some(b);
                }
            }
            Some(_) => {}
        }
        quotes += usize::from(c == '"');
        after_space = false;
    }
    if let Some(start) = from {
        out.extend(trimmed(text, start..text.len()));
    }
    out
}

fn trimmed(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = &text[r.clone()];
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.start + s.trim_end().len();
    (start < end).then_some(start..end)
}

/// `b`, or past the quote that stands at `b` and the whitespace after it, when that quote
/// closes the sentence before it: one that stands apart (whitespace after it too) and closes
/// (» ” “ ’ ›; a straight one while a quotation is `open`: `ersatz. " "Café`). One before a
/// word opens (»Wir, "We), and so does a straight one standing apart when no quotation is
/// open (French `" À`).
fn past_closing_quote(text: &str, b: usize, open: bool) -> usize {
    let rest = &text[b..];
    let Some(q) = rest.chars().next() else {
        return b;
    };
    let after_quote = &rest[q.len_utf8()..];
    let apart = after_quote.starts_with(char::is_whitespace);
    let closes = match q {
        '"' => open && apart,
        '»' | '”' | '“' | '’' | '›' => apart,
        _ => false,
    };
    if !closes {
        return b;
    }
    let after = after_quote.trim_start();
    text.len() - after.len()
}

/// Quotes and brackets that may close a sentence after its stop (German closes with « and
/// “, French with », English with ”).
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '“' | '»' | '«' | '›' | '‹' | ')' | ']' | '}' | '¨'
    )
}

/// Quotes, brackets, dashes and inverted marks that may open a sentence (German opens with
/// » and „).
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '“'
            | '‘'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '„'
            | '('
            | '['
            | '{'
            | '¿'
            | '¡'
            | '—'
            | '–'
            | '-'
    )
}

/// The first word of `text` after opening quotes, brackets and dashes: letters and digits,
/// with an apostrophe that ends it (French L', D').
fn first_word(text: &str) -> &str {
    word_from(past_openers(text))
}

/// `text` past the opening quotes, brackets and dashes (and whitespace) that may stand
/// before its first word: a few at most (`— «`, `"¿`), as a long run of them holds no
/// sentence.
fn past_openers(text: &str) -> &str {
    let mut t = text;
    for _ in 0..4 {
        match t.chars().next() {
            Some(c) if is_opener(c) || c.is_whitespace() => t = &t[c.len_utf8()..],
            _ => break,
        }
    }
    t
}

/// The word that `t` starts with (see [`first_word`]).
fn word_from(t: &str) -> &str {
    let end = t.find(|c: char| !c.is_alphanumeric()).unwrap_or(t.len());
    let with_apostrophe = t[end..]
        .chars()
        .next()
        .filter(|&c| c == '\'' || c == '’')
        .map_or(end, |c| end + c.len_utf8());
    &t[..with_apostrophe]
}

/// The rules of one language.
struct Rules {
    lang: Lang,
    /// Abbreviations that never end a sentence.
    never: Words,
    /// Abbreviations that end one only before a word that opens sentences.
    rarely: Words,
    /// Abbreviations that end lists (etc.): a capital after them starts a sentence.
    lists: Words,
    /// Abbreviations before a number (No. 5).
    numeric: Words,
    /// Words that open sentences, capitalised.
    starters: Words,
    /// Capitalised words that do not end a heading run into its paragraph.
    heading_exceptions: Words,
}

/// The rules of the five languages, built on first use: a paragraph asks for a word list
/// at every capitalised word (every German noun).
static RULES: LazyLock<ByLang<Rules>> = LazyLock::new(|| ByLang::from_fn(Rules::new));

/// A list of words, looked up by hashing.
struct Words(FxHashSet<&'static str>);

impl Words {
    /// The words of `lists`, each separated by spaces.
    fn of(lists: &[&'static str]) -> Words {
        Words(
            lists
                .iter()
                .flat_map(|l| l.split_ascii_whitespace())
                .collect(),
        )
    }

    fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

impl Rules {
    fn of(lang: Lang) -> &'static Rules {
        &RULES[lang]
    }

    fn new(lang: Lang) -> Rules {
        let (never, rarely, numeric, starters) = match lang {
            Lang::En => (EN_NEVER, EN_RARELY, EN_NUMERIC, EN_STARTERS),
            Lang::Ru => (RU_NEVER, RU_RARELY, RU_NUMERIC, RU_STARTERS),
            Lang::De => (DE_NEVER, DE_RARELY, DE_NUMERIC, DE_STARTERS),
            Lang::Es => (ES_NEVER, ES_RARELY, ES_NUMERIC, ES_STARTERS),
            Lang::Fr => (FR_NEVER, FR_RARELY, FR_NUMERIC, FR_STARTERS),
        };
        Rules {
            lang,
            never: Words::of(&[never, COMMON_NEVER]),
            rarely: Words::of(&[rarely, COMMON_RARELY]),
            lists: Words::of(&[LIST_ENDS]),
            numeric: Words::of(&[numeric]),
            starters: Words::of(&[starters]),
            heading_exceptions: Words::of(&[HEADING_EXCEPTIONS]),
        }
    }

    /// Does a sentence start at `b` (after whitespace), the current one having started at
    /// `from`?
    fn breaks(&self, text: &str, from: usize, b: usize) -> bool {
        let right = &text[b..];
        // Most words start lower-case or with no letter: settled before the word is read.
        let start = past_openers(right);
        match start.chars().next() {
            Some(c) if c.is_alphanumeric() && !c.is_lowercase() => {}
            _ => return false,
        }
        let next = word_from(start);
        let Some(first) = next.chars().next() else {
            return false;
        };
        let left = text[from..b].trim_end();
        let core = left.trim_end_matches(|c: char| is_closer(c) || c.is_whitespace());
        let stops = core.len() - core.trim_end_matches(['.', '…', '!', '?']).len();
        let stop = &core[core.len() - stops..];
        if stop.is_empty() {
            return self.run_in_heading(core, right, next);
        }
        if is_label(left) {
            return false;
        }
        if stop.contains(['!', '?']) {
            return true;
        }
        if stop != "." {
            // An ellipsis.
            return first.is_uppercase();
        }
        let before = &core[..core.len() - 1];
        let word = before
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("")
            .trim_start_matches(is_opener);
        // After a bracket or a quote (…(54.). or …usw.).) the stop is no abbreviation's.
        if word.is_empty() || word.ends_with(is_closer) {
            return true;
        }
        let opens = self.opens_sentence(next);
        // Russian writes initials in Cyrillic: a Latin capital alone is a Roman numeral
        // (Приложение I.).
        let initial = word.chars().count() == 1
            && word.chars().all(char::is_alphabetic)
            && !(self.lang == Lang::Ru && is_roman(word));
        if word.chars().all(|c| c.is_ascii_digit()) || (is_roman(word) && !initial) {
            return self.after_number(word, next, opens);
        }
        let key = abbreviation_key(before, word);
        let key = key.as_str();
        if self.never.contains(key) {
            return false;
        }
        if first.is_ascii_digit() && self.numeric.contains(key) {
            return false;
        }
        if self.lists.contains(key) {
            return true;
        }
        let rarely = self.rarely.contains(key);
        // Letters with stops between them (U.S., a.m.), an initial (J.), or a listed one.
        let dotted = key.contains('.') && word.chars().all(|c| c.is_alphabetic() || c == '.');
        if initial || dotted || rarely {
            return opens;
        }
        true
    }

    /// A full stop after a number: inside a date (3. März) or a number (40. 000), an ordinal
    /// in German (der 2. Weltkrieg) unless a word that opens sentences follows, and the end
    /// of a sentence elsewhere.
    fn after_number(&self, word: &str, next: &str, opens: bool) -> bool {
        // Digits grouped by a stop and a space (40. 000).
        if word.len() <= 3 && next.len() == 3 && next.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        let lower = next.to_lowercase();
        if word.len() <= 2 && super::anchors::month(&lower, next, self.lang).is_some() {
            return false;
        }
        if self.lang != Lang::De || word.len() > 3 {
            return true;
        }
        opens || !next.chars().next().is_some_and(char::is_alphabetic)
    }

    /// A heading run into its paragraph (`next`: the first word of `right`): a word that
    /// opens sentences, capitalised, standing right after a word without a stop and followed by a lower-case word (in German, by any
    /// word). Not after a word that opens sentences itself (der, como: the heading would end
    /// on it), nor after two capitalised words outside German (a title in title case).
    fn run_in_heading(&self, left: &str, right: &str, next: &str) -> bool {
        let Some(last) = left.chars().next_back() else {
            return false;
        };
        if !last.is_alphanumeric() && last != '%' {
            return false;
        }
        // The word itself stands first: no quote or bracket before it.
        if next.as_ptr() != right.as_ptr()
            || !right[next.len()..].starts_with(char::is_whitespace)
            || next.chars().count() < 2
            || !self.opens_sentence(next)
            || self.heading_exceptions.contains(next)
        {
            return false;
        }
        let after = first_word(&right[next.len()..]);
        let heading_like = match after.chars().next() {
            Some(c) if c.is_lowercase() => true,
            Some(c) if c.is_alphabetic() => self.lang == Lang::De,
            _ => false,
        };
        let mut words = left.rsplit(char::is_whitespace);
        let prev = words.next().unwrap_or("");
        let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
        let title_case =
            self.lang != Lang::De && capitalised(prev) && words.next().is_some_and(capitalised);
        heading_like && !title_case && !self.opens_sentence(&capitalise(prev))
    }

    fn opens_sentence(&self, word: &str) -> bool {
        self.starters.contains(word)
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// A list marker or a label alone (1., IV., Q.): no sentence of its own.
fn is_label(left: &str) -> bool {
    let Some(word) = left.strip_suffix('.').filter(|w| w.len() <= 8) else {
        return false;
    };
    !word.is_empty()
        && !word.contains(char::is_whitespace)
        && (word.chars().all(|c| c.is_ascii_digit())
            || is_roman(word)
            || word.chars().count() == 1 && word.chars().all(char::is_alphabetic))
}

fn is_roman(word: &str) -> bool {
    !word.is_empty() && word.len() <= 5 && word.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

/// The abbreviation that ends at a full stop: the word before it, with the one-letter parts
/// written before it apart (z. B. → "z.B", т. е. → "т.е").
fn abbreviation_key(before: &str, word: &str) -> String {
    let mut parts = vec![word];
    let mut rest = before[..before.len() - word.len()].trim_end();
    if word.chars().count() == 1 {
        while parts.len() < 4
            && let Some(r) = rest.strip_suffix('.')
        {
            let w = r.rsplit(char::is_whitespace).next().unwrap_or("");
            if w.chars().count() != 1 || !w.chars().all(char::is_alphabetic) {
                break;
            }
            parts.push(w);
            rest = r[..r.len() - w.len()].trim_end();
        }
    }
    parts.reverse();
    parts.join(".")
}

/// Words that open sentences but also stand capitalised inside them: no headings before them.
const HEADING_EXCEPTIONS: &str = "Sie Ihr Ihre Ihnen Ihrer Ihren Ihrem";

/// Abbreviations that end lists, in every language.
const LIST_ENDS: &str = "etc usw u.s.w т.д т.п и.т.д и.т.п";

/// Abbreviations of names and firms that seldom end a sentence, in every language.
const COMMON_RARELY: &str = "St Jr Inc Ltd Co Corp";

/// Titles, of any of the five languages, and abbreviations that never end a sentence: a
/// name or a word of another language stands in many texts.
const COMMON_NEVER: &str = "Mr Mrs Dr Prof Sra Srta Mme Mlle e.g i.e vs cf ca incl inkl";

const EN_NEVER: &str = "Ms Messrs Mt Sen Sens Rep Reps Gov Gen Lt Col Capt Cpl Sgt Maj \
    Adm Rev Hon Pres Supt Insp Det Fr approx Pfc Cmdr Brig";
const EN_RARELY: &str = "Sr Bros al Ave Blvd Dept Univ Jan Feb Mar Apr \
    Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun Calif Mass Penn Fla Ill Ariz \
    Conn Wash";
const EN_NUMERIC: &str = "No Nos no nos p pp vol Vol art Art ch fig Fig para";
const EN_STARTERS: &str = "The A An This That These Those It Its He She We They I You His Her \
    Our Their My Your There Here In On At By For From With Without Of To But And Or So Yet If \
    When While After Before As Since Until Although Though Because Not No Yes However \
    Meanwhile Also According Despite Today Yesterday Tomorrow What Who How Why Where Which \
    Some Many Most All Both Each Every Such Other Another One Two Then Now Still Even Only \
    Instead Thus Therefore Moreover Nevertheless Nor Neither Under Over During Among Between \
    Unlike Like Further Furthermore Besides Indeed Perhaps Let Do Does Did Is Are Was Were \
    Will Would Can Could Should Must May Might Have Has Had Never Nobody Nothing Everyone \
    Everything Anyway Again Once Last Next First Finally Later Earlier";

const RU_NEVER: &str = "т.е т.к т.н т.ч см ср им ул просп пер д кв св тов гр акад проф доц \
    англ нем франц исп лат напр";
const RU_RARELY: &str = "г гг в вв др пр тыс млн млрд руб коп долл ок обл р н.э э Дж";
const RU_NUMERIC: &str = "ст п ч с гл рис табл №";
const RU_STARTERS: &str = "В Во На По С Со К Ко О Об Из За Для При От До После Перед Через Над \
    Под Без Но И А Или Он Она Оно Они Мы Я Вы Ты Это Этот Эта Эти Этом Этой Тот Та То Те Так \
    Как Когда Если Однако Также Кроме Его Ее Её Их Не Ни Все Всё Сегодня Вчера Завтра Что Кто \
    Где Почему Зачем Там Тогда Теперь Сейчас Уже Еще Ещё Поэтому Хотя Пока Тем Впрочем Между \
    Среди Согласно Кстати Именно Лишь Только Даже Ведь Причем Причём Затем Потом \
    Наконец Здесь Один Одна Одно Каждый Многие Некоторые Есть Был Была Было Были Будет Может \
    Можно Нужно Надо Нет Да";

const DE_NEVER: &str = "z.B d.h u.a z.T o.ä u.ä s.o s.u i.d.R z.Zt bzw vgl sog ggf evtl inkl \
    exkl zzgl Hr Hrn Fr Frl Dipl Ing Mag St Str ehem geb gest verh bzgl zit usf Abt Kap";
const DE_RARELY: &str = "u.v.m u.Ä Tsd Mio Mrd Jh Jhd Chr v.Chr n.Chr Jan Feb Mär \
    Apr Jun Jul Aug Sep Sept Okt Nov Dez Mo Di Mi Do Sa So Nr Tel min Std";
const DE_NUMERIC: &str = "Nr S Abs Art Bd Bde Ziff Anm Tab Abb";
const DE_STARTERS: &str = "Der Die Das Den Dem Des Ein Eine Einen Einem Einer Er Sie Es Wir \
    Ich Ihr Man Im In Am An Auf Aus Bei Mit Nach Seit Von Vom Vor Zu Zum Zur Für Gegen Ohne Um \
    Über Unter Durch Während Wegen Trotz Laut Gemäß Aber Und Oder Doch Denn Dies Diese Dieser \
    Dieses Diesen Diesem Dabei Damit Danach Dann Daher Darum Deshalb Deswegen Trotzdem Dennoch \
    Jedoch Auch Wie Was Wer Wo Warum Wann Welche Welcher Wenn Als Ob Obwohl Weil Da So Noch \
    Nun Jetzt Heute Gestern Morgen Hier Dort Sein Seine Ihre Unser Unsere Mein Meine Kein \
    Keine Nicht Nur Schon Bereits Alle Viele Einige Mehr Zudem Außerdem Allerdings Inzwischen \
    Zunächst Später Ab Bis Zwar Sogar Genau Vielleicht Jeder Jede Jedes Ja Nein Stattdessen \
    Anschließend Gleichzeitig Bisher Zuvor Derzeit";

const ES_NEVER: &str = "EE Sr Sra Sres Sras Srta Dña Dª Lic Ing Arq Excmo Excma Ilmo Ilma Gral \
    Cnel Sto Sta aprox Avda Av Ud Uds Vd Vds p.ej Mons Mtro";
const ES_RARELY: &str = "Cía S.A S.L EE.UU ee.uu UU ene feb mar abr jun jul ago sep oct nov dic \
    hs hrs min a.C d.C pág págs";
const ES_NUMERIC: &str = "núm Núm nº Nº art Art p pp cap vol n No";
const ES_STARTERS: &str = "El La Los Las Un Una Unos Unas Lo Este Esta Estos Estas Esto Ese \
    Esa Esos Esas Eso Aquel Él Ella Ellos Ellas Nosotros Yo Usted Ustedes En Con Por Para Pero \
    Y O Sin Según Además También Tampoco No Sí Se Le Les Su Sus Mi Nuestro Nuestra Al Del A De \
    Desde Tras Hasta Hacia Entre Sobre Durante Ante Bajo Contra Cuando Como Si Que Qué Quien \
    Quién Cuál Dónde Cómo Hay Hoy Ayer Mañana Ahora Ya Aún Todavía Así Entonces Luego Después \
    Antes Mientras Aunque Porque Pues Incluso Sólo Solo Todo Toda Todos Todas Cada Otro Otra \
    Otros Otras Muchos Muchas Algunos Algunas Nadie Nada Nunca Allí Aquí Ni Es Era Fue Son \
    Está Están Tiene Tienen Ha Han Respecto Finalmente Asimismo";

const FR_NEVER: &str = "MM Mme Mmes Mlle Mlles Me Mgr Pr St Ste av bd env cf p.ex c.-à-d \
    c.à.d";
const FR_RARELY: &str = "Cie S.A janv févr avr juil sept oct nov déc J.-C apr min hab éd";
const FR_NUMERIC: &str = "n no No nº art p pp vol chap";
const FR_STARTERS: &str = "Le La Les L' L’ Un Une Des Du De D' D’ Ce Cet Cette Ces C' C’ Il \
    Elle Ils Elles On Nous Vous Je J' J’ En Dans Sur Sous Pour Par Avec Sans Chez Entre Vers \
    Contre Mais Et Ou Donc Or Ni Car Si S' S’ Quand Comme Selon Depuis Après Avant Pendant \
    Durant Au Aux À Son Sa Ses Leur Leurs Notre Nos Votre Mon Ma Mes Ne N' N’ Cela Ceci Ça \
    Hier Demain Pourtant Cependant Toutefois Ainsi Alors Puis Ensuite Enfin Aussi \
    Même Encore Déjà Tout Toute Tous Toutes Chaque Plusieurs Certains Certaines Qui Que Qu' \
    Qu’ Quel Quelle Quoi Où Pourquoi Comment Combien Lorsque Lors Bien Non Oui Voici Voilà Y \
    Là Ici Désormais Parmi Outre Malgré Grâce Afin Quant";

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str, lang: Lang) -> Vec<&str> {
        split(text, lang).into_iter().map(|r| &text[r]).collect()
    }

    #[track_caller]
    fn check(lang: Lang, expected: &[&str]) {
        let text = expected.join(" ");
        assert_eq!(sentences(&text, lang), expected, "{lang}: {text}");
    }

    #[test]
    fn plain_stops_end_sentences_in_every_language() {
        check(
            Lang::En,
            &["The river rose overnight.", "Was anyone hurt?", "Nobody!"],
        );
        check(
            Lang::Ru,
            &["Река поднялась за ночь.", "Кто-нибудь пострадал?", "Никто!"],
        );
        check(
            Lang::De,
            &[
                "Der Fluss stieg über Nacht.",
                "Wurde jemand verletzt?",
                "Niemand!",
            ],
        );
        check(
            Lang::Es,
            &["El río creció de noche.", "¿Hubo heridos?", "¡Ninguno!"],
        );
        check(
            Lang::Fr,
            &["La rivière a monté cette nuit.", "Des blessés ?", "Aucun !"],
        );
    }

    #[test]
    fn titles_and_abbreviations_do_not_end_sentences() {
        check(
            Lang::En,
            &["Mr. Hale met Dr. Ortiz at St. Mary's.", "They talked."],
        );
        check(
            Lang::En,
            &["Prices rose, e.g. for bread.", "Wages did not."],
        );
        check(
            Lang::Ru,
            &["Он приехал, т. е. вернулся домой.", "Все были рады."],
        );
        check(
            Lang::Ru,
            &["Об этом писал акад. Петров.", "Спор продолжился."],
        );
        check(
            Lang::De,
            &["Manche Städte, z. B. Ulm, bauen neu.", "Andere warten."],
        );
        check(
            Lang::De,
            &["Das Amt, d. h. die Behörde, schwieg.", "Hr. Braun auch."],
        );
        check(
            Lang::Es,
            &["La Sra. Gómez habló con el Sr. Ruiz.", "Después se fueron."],
        );
        check(Lang::Es, &["Nadaron en St. Moritz.", "Luego comieron."]);
        check(
            Lang::Fr,
            &["M. Lebrun a reçu Mme Caron.", "Ils ont parlé longtemps."],
        );
        check(
            Lang::Fr,
            &["Le Pr. Martin a répondu.", "La séance a repris."],
        );
    }

    #[test]
    fn numbers_after_abbreviations_stay_with_them() {
        check(
            Lang::En,
            &["See No. 4 on p. 12 of the report.", "It is short."],
        );
        check(Lang::De, &["Das steht in Nr. 7 auf S. 3.", "Mehr nicht."]);
        check(
            Lang::Ru,
            &["Это сказано в ст. 15 закона.", "Так решил суд."],
        );
        check(
            Lang::Es,
            &["Lo dice el art. 9 de la ley.", "Nadie lo discute."],
        );
        check(
            Lang::Fr,
            &["Voir le no 5, art. 3 du texte.", "Rien d'autre."],
        );
    }

    #[test]
    fn abbreviations_that_end_lists_end_sentences_before_a_capital() {
        check(
            Lang::En,
            &["They sell pens, paper, ink, etc.", "Business is slow."],
        );
        check(
            Lang::Ru,
            &["Там продают ручки, бумагу и т. д.", "Торговля идёт плохо."],
        );
        check(
            Lang::De,
            &[
                "Es gibt Stifte, Papier usw.",
                "Das Geschäft läuft schlecht.",
            ],
        );
        // Before a lower-case word they stay inside it.
        check(Lang::En, &["Pens, paper, etc. are sold here."]);
    }

    #[test]
    fn seldom_final_abbreviations_end_sentences_only_before_an_opening_word() {
        check(
            Lang::En,
            &["She moved to the U.S. in May.", "Her son stayed."],
        );
        check(Lang::En, &["She moved to the U.S.", "The rest stayed."]);
        check(Lang::En, &["Talks with Acme Inc. Chief Kim failed."]);
        check(Lang::Ru, &["Он родился в 1950 г.", "Он вырос в Туле."]);
        check(Lang::Ru, &["В 1950 г. Петров уехал."]);
        check(Lang::Es, &["Volvió de EE.UU. Martínez ayer."]);
        check(
            Lang::Es,
            &[
                "Llegó a la capital de EE. UU. el lunes.",
                "Nadie lo esperaba.",
            ],
        );
        check(
            Lang::Ru,
            &["Остальное – в Приложении I.", "Документ подписан вчера."],
        );
        check(Lang::Ru, &["Его звали И. Иванов."]);
    }

    #[test]
    fn initials_do_not_end_sentences() {
        check(
            Lang::En,
            &["The letter came from John F. Baxter.", "He was brief."],
        );
        check(
            Lang::Ru,
            &["Письмо пришло от Анны К. Ивановой.", "Она была кратка."],
        );
        check(
            Lang::Ru,
            &["Об этом сказал Дж. Смит.", "Других слов не было."],
        );
        check(
            Lang::De,
            &["Der Brief kam von Eva M. Kranz.", "Er war kurz."],
        );
        check(
            Lang::Es,
            &["La carta vino de Pedro J. Vidal.", "Fue breve."],
        );
        check(
            Lang::Fr,
            &["La lettre venait de Paul R. Morel.", "Elle était brève."],
        );
        // An initial at the end of a sentence, before a word that opens one.
        check(Lang::En, &["They chose plan B.", "It worked."]);
    }

    #[test]
    fn ordinals_and_dates_do_not_end_sentences() {
        check(
            Lang::De,
            &["Am 3. März beginnt der 2. Teil.", "Alle sind da."],
        );
        check(
            Lang::De,
            &["Er traf in der 40. Minute.", "Das Spiel war aus."],
        );
        check(
            Lang::De,
            &["König Ludwig II. baute Schlösser.", "Sie kosteten viel."],
        );
        // A year or a count ends a sentence, and a number may start one.
        check(Lang::De, &["Das war 2004.", "Die Firma wuchs."]);
        check(
            Lang::De,
            &["Die Quote sank stark.", "2009 stieg sie wieder."],
        );
        check(Lang::En, &["Sales fell in 2009.", "2010 was better."]);
        check(
            Lang::Fr,
            &["Les ventes ont baissé.", "2010 a été meilleure."],
        );
        check(
            Lang::Es,
            &["Las ventas cayeron en 2009.", "El año siguiente subieron."],
        );
        check(Lang::Ru, &["Продажи упали в 2009 году.", "Потом выросли."]);
    }

    #[test]
    fn decimals_do_not_end_sentences() {
        check(
            Lang::En,
            &["Growth was 3.5 percent.", "Inflation was 2.1 percent."],
        );
        check(Lang::De, &["Es kamen 40. 000 Menschen.", "Es regnete."]);
        check(
            Lang::De,
            &[
                "Das Plus lag bei 3,5 Prozent.",
                "Die Preise stiegen um 2.1 Prozent.",
            ],
        );
        check(Lang::Ru, &["Рост составил 3.5%.", "Инфляция была 2,1%."]);
    }

    #[test]
    fn list_markers_and_labels_are_not_sentences() {
        check(Lang::En, &["1. Open the valve slowly."]);
        check(Lang::De, &["IV. Die Kosten des Baus."]);
        check(Lang::En, &["Q. Will the plant close?", "A. Not this year."]);
    }

    #[test]
    fn closing_quotes_and_brackets_stay_with_their_sentence() {
        check(
            Lang::En,
            &["He said: \"We will build it.\"", "Work starts soon."],
        );
        check(Lang::En, &["(The vote was close.)", "The bill passed."]);
        check(
            Lang::Ru,
            &["Он сказал: «Мы построим мост».", "Работы начнутся скоро."],
        );
        check(
            Lang::De,
            &[
                "Sie sagte: „Wir bauen die Brücke.“",
                "Die Arbeit beginnt bald.",
            ],
        );
        check(
            Lang::Es,
            &[
                "Dijo: «Construiremos el puente.»",
                "Las obras empiezan pronto.",
            ],
        );
        check(
            Lang::Fr,
            &[
                "Il a dit : « Nous construirons le pont. »",
                "Les travaux commencent.",
            ],
        );
        check(
            Lang::Fr,
            &["Il est parti.", "« Nous restons », a-t-elle dit."],
        );
        check(
            Lang::De,
            &["Es regnet.", "»Wir bleiben«, sagte sie.", "Er ging."],
        );
        check(Lang::De, &["Es regnet. »", "Er ging."]);
        // A closing quote standing apart after the stop, then an opening one.
        check(
            Lang::Fr,
            &["Il écrit : \"Rien ne va. \"", "\"Tout est cher.\""],
        );
        // A quotation that ends the sentence, and one that opens the next.
        check(Lang::En, &["He left at noon.", "\"I am tired,\" he said."]);
    }

    #[test]
    fn a_lower_case_word_continues_the_sentence() {
        check(Lang::En, &["\"Will it rain?\" she asked.", "Nobody knew."]);
        check(Lang::Es, &["¿Lloverá? preguntó ella.", "Nadie lo sabía."]);
        check(
            Lang::Fr,
            &[
                "« Viendra-t-il ? » a-t-elle demandé.",
                "Personne ne savait.",
            ],
        );
    }

    #[test]
    fn ellipses_end_sentences_before_a_capital_only() {
        check(Lang::En, &["We waited and waited…", "Then the bus came."]);
        check(Lang::De, &["Wir warteten...", "Dann kam der Bus."]);
        check(Lang::Ru, &["Мы ждали… и ждали.", "Потом пришёл автобус."]);
        check(
            Lang::Es,
            &["Esperamos... y esperamos.", "Luego llegó el autobús."],
        );
    }

    #[test]
    fn questions_and_answers_are_sentences() {
        check(
            Lang::En,
            &[
                "Question: Will the talks resume?",
                "Answer: Yes, on Monday.",
            ],
        );
        check(
            Lang::Ru,
            &[
                "Вопрос: Возобновятся ли переговоры?",
                "Ответ: Да, в понедельник.",
            ],
        );
        check(
            Lang::De,
            &[
                "Frage: Gehen die Gespräche weiter?",
                "Antwort: Ja, am Montag.",
            ],
        );
        check(
            Lang::Es,
            &[
                "Pregunta: ¿Seguirán las conversaciones?",
                "Respuesta: Sí, el lunes.",
            ],
        );
        check(
            Lang::Fr,
            &[
                "Question : Les discussions reprendront-elles ?",
                "Réponse : Oui.",
            ],
        );
    }

    #[test]
    fn a_heading_run_into_its_paragraph_ends_before_an_opening_word() {
        check(
            Lang::En,
            &["Storm warning", "The coast guard closed the harbour."],
        );
        check(Lang::De, &["Neue Regeln", "Die Stadt senkt die Gebühren."]);
        check(Lang::Es, &["Nuevas reglas", "La ciudad baja las tasas."]);
        check(
            Lang::Fr,
            &["Nouvelles règles", "La ville baisse les taxes."],
        );
        check(Lang::Ru, &["Новые правила", "Там снизят сборы."]);
        // Not inside a sentence: a title after a word that opens sentences, a name.
        check(
            Lang::En,
            &["She read it in The Times and in the The last page column."],
        );
        check(Lang::En, &["Reporters from The New York Times came."]);
        check(Lang::Es, &["Leyó novelas como Cien años de soledad."]);
        check(Lang::De, &["Das wissen Sie schon."]);
        check(Lang::En, &["How Cities Are Growing Up The hills"]);
    }

    #[test]
    fn modes_are_named_split_and_lines_and_split_is_the_default() {
        use clap::ValueEnum;
        let names: Vec<String> = SentenceMode::value_variants()
            .iter()
            .map(|m| m.to_possible_value().unwrap().get_name().to_string())
            .collect();
        assert_eq!(names, ["split", "lines"]);
        assert_eq!(SentenceMode::default(), SentenceMode::Split);
    }

    #[test]
    fn lines_mode_takes_each_line() {
        let text = "First line. Still first\n\n  second line \r\nthird";
        let got: Vec<&str> = SentenceMode::Lines
            .sentences(text, Lang::En)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(got, ["First line. Still first", "second line", "third"]);
    }

    #[test]
    fn a_range_without_text_joins_a_neighbour() {
        // Ranges of "\u{1} Hello \u{2} \u{ad}": the soft hyphen is invisible too.
        let ranges = with_text(vec![0..1, 2..7, 8..9, 10..12], "\u{1} Hello \u{2} \u{ad}");
        assert_eq!(ranges.len(), 1);
        assert_eq!(ranges[0], 0..12);
        // A line of control characters alone joins the line before it.
        let text = "One.\n\u{1}\nTwo.";
        let got: Vec<&str> = SentenceMode::Lines
            .sentences(text, Lang::En)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(got, ["One.\n\u{1}", "Two."]);
    }

    #[test]
    fn nothing_to_split() {
        assert!(split("", Lang::En).is_empty());
        assert!(split(" \n\t ", Lang::De).is_empty());
        assert!(lines("\n \n").is_empty());
        assert_eq!(split("  Hi.  ", Lang::Fr), vec![2..5]);
    }

    /// Text with the characters the rules look at: stops, quotes, brackets, capitals,
    /// digits, spaces of several kinds.
    fn tricky_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just(". ".to_string()),
            Just("… ".to_string()),
            Just("? ".to_string()),
            Just("\" ".to_string()),
            Just(" \"".to_string()),
            Just("« ".to_string()),
            Just(" »".to_string()),
            Just(") ".to_string()),
            Just("Mr. ".to_string()),
            Just("z. B. ".to_string()),
            Just("3. ".to_string()),
            Just("The ".to_string()),
            Just("Die ".to_string()),
            Just("\u{a0}".to_string()),
            Just("\n".to_string()),
            "[a-zA-Zé ÉжЖ0-9.,!?'’”“„]{0,6}",
        ];
        proptest::collection::vec(piece, 0..30).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #[test]
        fn sentences_are_ordered_trimmed_and_cover_every_non_space(text in tricky_text(), l in 0usize..5) {
            let lang = Lang::ALL[l];
            for ranges in [split(&text, lang), lines(&text)] {
                let mut at = 0;
                for r in &ranges {
                    proptest::prop_assert!(r.start >= at && r.start < r.end, "{ranges:?}");
                    let s = &text[r.clone()];
                    proptest::prop_assert_eq!(s.trim(), s);
                    proptest::prop_assert!(text[at..r.start].chars().all(char::is_whitespace));
                    at = r.end;
                }
                proptest::prop_assert!(text[at..].chars().all(char::is_whitespace));
            }
        }
    }
}

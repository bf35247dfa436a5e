//! Company cues in the sentence: names that no list holds but that the text itself marks as a
//! company ("Russian oil firm Zelenka", "shares in Harwick", "Harwick's chief executive",
//! "Calder Airways", "Petrel Energy", "OneStat.com"), and business vocabulary that lets an
//! ambiguous list name count in a passage ("Apple" near "shares" or "chief executive").
//!
//! One Aho-Corasick pass per passage finds every cue; each hit says on which side the name
//! stands. Cues are chosen so that people and places rarely follow them: "firm", "insurer",
//! "shares in" take a name after them, but "rival", "producer" or "developer" are left out
//! because a person's name follows them as often as a company's ("film producer Ann Lee").

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::rules::{is_leading_noise, is_name_word};
use super::text::{next_char, prev_char};
use super::word_set::WordSet;

/// Where the company name stands relative to a cue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    /// "oil firm Yukos", "shares in Yukos": the name follows the cue.
    After,
    /// "Yukos's chief executive": the name ends at the cue (a possessive).
    Possessive,
    /// "Calder Airways": the cue is the last word of the name.
    Head,
    /// "Air Jamaica": the cue is the first word of the name.
    FirstWord,
    /// "OneStat.com": the cue ends the name's only word.
    DotCom,
    /// "the Liffe derivatives exchange": the name ends where the cue starts.
    Exchange,
    /// "Oxford-based Natural Motion": the name follows, in a passage that talks business.
    Base,
    /// "shares", "chief executive": business talk in the passage, no name of its own.
    Business,
    /// "analysts", "%", "Nasdaq": words of markets that older or non-business prose hardly
    /// uses; once met, the whole article talks business.
    Market,
}

/// A cue found in a passage: its byte range and the side its name stands on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cue {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) side: Side,
}

/// Lower-case nouns after which a capitalised name is a company ("oil firm Yukos").
#[rustfmt::skip]
const BEFORE_NAME: &[&str] = &[
    "firm", "firms", "company", "companies", "giant", "maker", "makers", "carrier", "airline",
    "insurer", "retailer", "operator", "broker", "stockbroker", "brokerage", "brewer", "winemaker",
    "consultancy", "chain", "supermarket", "conglomerate", "manufacturer", "lender", "bank",
    "group", "subsidiary", "shares in", "shares of", "stake in", "shareholding in", "takeover of",
    "ratings agency", "rating agency", "news agency", "telecoms operator", "carmaker",
    "automaker", "chipmaker", "drugmaker", "investment bank", "broadcaster", "analyst at",
    "analysts at", "economist at", "economists at", "strategist at", "executive at",
    "executives at", "director at", "directors at", "dealer at", "trader at", "start-up",
    "startup",
];

/// Nouns for a part of a company, after which a name in apposition is a company ("Yukos'
/// main production arm, Yugansk,"): in an article that talks markets only, as "his left arm,
/// Tom" is not.
#[rustfmt::skip]
const PART_BEFORE_NAME: &[&str] = &["arm", "unit", "division", "subsidiary", "affiliate"];

/// Nouns after which a name set off by dashes is a company ("a subsidiary company - Lifetime
/// -"): in an article that talks markets only, like parts.
#[rustfmt::skip]
const DASHED_BEFORE_NAME: &[&str] = &[
    "arm", "unit", "division", "subsidiary", "affiliate", "company", "firm", "start-up",
];

/// What sets a name in apposition off from the noun before it: a comma after a part ("arm,
/// Yugansk"), a dash after a company noun.
const APPOSITION_MARKS: &[&str] = &[", ", " - ", " – ", " — "];

/// Plural nouns after which a list of names are companies ("ratings agencies - Fitch and
/// Moody's", "electronics giants Hitachi and Matsushita"): each name of the list counts.
#[rustfmt::skip]
const BEFORE_NAMES: &[&str] = &[
    "firms", "companies", "giants", "makers", "carriers", "airlines", "insurers", "retailers",
    "operators", "brokers", "brewers", "lenders", "banks", "groups", "conglomerates",
    "manufacturers", "carmakers", "automakers", "chipmakers", "drugmakers", "broadcasters",
    "ratings agencies", "rating agencies", "news agencies", "rivals", "competitors", "analysts",
    "start-ups", "startups",
];

/// Nouns that, in an appositive after a name, say it is a company ("Group Menatep, the
/// Gibraltar-based holding company, ...").
#[rustfmt::skip]
pub(crate) static COMPANY_NOUNS: WordSet = WordSet::new(&[
    "company", "firm", "group", "maker", "carrier", "airline", "bank", "retailer", "operator",
    "insurer", "lender", "broker", "brokerage", "conglomerate", "manufacturer", "chain",
    "giant", "carmaker", "chipmaker", "drugmaker", "broadcaster", "publisher", "supermarket",
    "consultancy", "subsidiary",
]);

/// Kinds of exchange that a firm runs ("the Liffe derivatives exchange", "the Ofex share
/// exchange"). A stock exchange named in lower case is a place's ("the Karachi stock
/// exchange"), and so is a studio ("the Jones studio"): neither is a cue.
#[rustfmt::skip]
const EXCHANGE_KINDS: &[&str] = &[
    "derivatives", "futures", "options", "share", "commodities", "metals", "electronic",
];

/// Words before a cue noun that make it something else than a business ("central bank",
/// "pressure group", "theatre company", "film maker").
static NOT_BUSINESS_BEFORE: WordSet = WordSet::new(&[
    "central",
    "world",
    "development",
    "reserve",
    "pressure",
    "campaign",
    "rights",
    "lobby",
    "interest",
    "terror",
    "terrorist",
    "militant",
    "rebel",
    "environmental",
    "advocacy",
    "action",
    "working",
    "study",
    "support",
    "ethnic",
    "political",
    "age",
    "peer",
    "user",
    "theatre",
    "theater",
    "dance",
    "opera",
    "ballet",
    "touring",
    "film",
    "power",
    "camera",
    "tour",
    "blood",
    "food",
    "his",
    "her",
    "my",
    "our",
    "your",
    "their",
    "whose",
    "this",
    "that",
    "good",
    "bad",
    "same",
    "small",
    "whole",
    "first",
    "second",
    "third",
    "last",
    "other",
    "another",
    "armed",
    "infantry",
    "rifle",
    "fire",
    "parliamentary",
    "music",
    "sperm",
    "river",
    "sand",
    "mud",
    "rock",
    "pop",
    "band",
    "folk",
    "punk",
    "indie",
    "boy",
    "girl",
    "vocal",
    "comedy",
    "singing",
    "jazz",
    "metal",
    "rap",
    "soul",
    "country",
    "hip-hop",
    "dance",
    "public",
]);

/// Nouns after a possessive that make the owner a company ("Yukos's chief executive").
static OWNED_BY_COMPANIES: WordSet = WordSet::new(&[
    "shares",
    "share",
    "shareholders",
    "shareholder",
    "shareholding",
    "profits",
    "profit",
    "revenues",
    "revenue",
    "takeover",
    "subsidiary",
    "subsidiaries",
    "customers",
    "directors",
    "earnings",
    "turnover",
    "headquarters",
    "workforce",
    "brands",
    "debts",
    "bankruptcy",
    "auditors",
    "flotation",
    "listing",
    "merger",
    "parent",
    "unit",
    "division",
    "factories",
    "outlets",
    "subscribers",
    "chief",
]);

/// Capitalised words that end a company name ("Calder Airways", "Monmouth Securities").
#[rustfmt::skip]
const HEAD_WORDS: &[&str] = &[
    "Airways", "Airlines", "Airline", "Bank", "Energy", "Securities", "Capital",
    "Research", "Oil and Gas", "Oil & Gas", "Oil", "Petroleum", "Motors", "Telecom",
    "Telecoms", "Stockbrokers", "Investors", "Economics", "Studios", "Pharmaceuticals",
    "Breweries", "Brewery", "Insight", "Televentures", "Investment Managers", "Asset Management",
    "Capital Management", "Shipping", "Mining", "Steel", "Foods", "Technologies",
    "Industries", "Semiconductor", "Semiconductors",
];

/// Words that, in a name ending in "Bank", make it a public body ("World Bank").
static PUBLIC_BANKS: WordSet = WordSet::new(&[
    "Central",
    "World",
    "Reserve",
    "Development",
    "Federal",
    "Investment",
    "Settlements",
    "People's",
    "Export-Import",
    "Land",
    "West",
    "South",
    "North",
    "East",
    "Left",
    "Right",
    "Dogger",
    "Grand",
    "Savings",
]);

/// Words right after "Air" that make it no airline ("Air Force").
static NOT_AIRLINES: WordSet = WordSet::new(&[
    "Force",
    "Forces",
    "Ministry",
    "Marshal",
    "Commodore",
    "Vice",
    "Chief",
    "Staff",
    "Command",
    "Board",
    "Council",
    "Raid",
    "Raids",
    "Defence",
    "Defense",
    "Traffic",
    "Quality",
    "Corps",
    "Service",
    "Station",
    "Base",
    "Mail",
    "Pollution",
]);

/// Business talk: a passage with one of these is about business, so an ambiguous list name in
/// it ("Apple", "Oracle") is taken as the company. Specific words only: "company" and "firm"
/// are common in any prose.
#[rustfmt::skip]
const BUSINESS: &[&str] = &[
    "shares", "chief executive", "annual report", "spokesman said", "spokeswoman said",
    "subsidiary", "merger", "retailer", "the company said", "the firm said",
];

/// Market talk: rare in prose that is not about business, so two occurrences
/// ([`MARKET_TALK`]) let ambiguous list names count in the whole article ("Amazon" in a passage that only says "Amazon and
/// Apple bundle their services", after an earlier one gave revenue in %).
#[rustfmt::skip]
const MARKET: &[&str] = &[
    "%", "bn", "analysts", "shareholders", "investors", "takeover", "stock market", "share price",
    "Nasdaq", "NYSE", "FTSE", "Dow Jones", "software", "internet", "online", "website",
    "smartphone", "subscribers", "revenue", "revenues", "CEO", "plc", "Inc.", "in a statement",
    "billion", "billions", "technology",
];

/// Places where shares trade: "shares in New York" names a market, not a company.
static TRADING_PLACES: WordSet = WordSet::new(&[
    "New York",
    "London",
    "Tokyo",
    "Frankfurt",
    "Paris",
    "Hong Kong",
    "Sydney",
    "Zurich",
    "Milan",
    "Madrid",
    "Seoul",
    "Shanghai",
    "Shenzhen",
    "Singapore",
    "Toronto",
    "Mumbai",
    "Amsterdam",
    "Wall Street",
    "Europe",
    "Asia",
    "Brussels",
    "Stockholm",
    "Oslo",
    "Helsinki",
    "Copenhagen",
    "Dublin",
    "Moscow",
    "Taipei",
    "Johannesburg",
    "Sao Paulo",
    "Mexico City",
    "Chicago",
    "Bombay",
    "Jakarta",
    "Bangkok",
    "Kuala Lumpur",
    "Lisbon",
    "Vienna",
    "Warsaw",
]);

/// The words of markets as written, and capitalised when they start a sentence
/// ("Analysts expect").
fn market_forms() -> Vec<String> {
    let mut forms: Vec<String> = MARKET.iter().map(|w| w.to_string()).collect();
    for word in MARKET {
        let mut chars = word.chars();
        if let Some(first) = chars.next().filter(char::is_ascii_lowercase) {
            forms.push(first.to_ascii_uppercase().to_string() + chars.as_str());
        }
    }
    forms
}

/// Words of markets an article needs to talk markets: one is a stray "%" or "technology" in a
/// book (the read-ahead found such a book's myths and characters taken for firms).
pub(crate) const MARKET_TALK: usize = 2;

/// An article read ahead needs one word of markets per this many bytes (about 800 words), and
/// [`MARKET_TALK`] at least: a news story of 400 words that talks markets uses several, a
/// book's chapter of 20,000 words that mentions "investors" twice does not talk markets.
pub(crate) const MARKET_TALK_BYTES: usize = 5_000;

/// Words of markets an article of `len` bytes needs, read ahead, to talk markets.
pub(crate) fn market_talk_for(len: usize) -> usize {
    MARKET_TALK.max(len / MARKET_TALK_BYTES)
}

struct Cues {
    automaton: AhoCorasick,
    sides: Vec<Side>,
}

fn cues() -> &'static Cues {
    static CUES: OnceLock<Cues> = OnceLock::new();
    CUES.get_or_init(|| {
        let mut patterns: Vec<String> = Vec::new();
        let mut sides = Vec::new();
        let mut add = |p: String, side: Side| {
            if !patterns.contains(&p) {
                patterns.push(p);
                sides.push(side);
            }
        };
        for word in BEFORE_NAME {
            add(format!("{word} "), Side::After);
        }
        for word in PART_BEFORE_NAME {
            add(format!("{word}, "), Side::After);
        }
        for word in DASHED_BEFORE_NAME {
            for dash in &APPOSITION_MARKS[1..] {
                add(format!("{word}{dash}"), Side::After);
            }
        }
        for word in BEFORE_NAMES {
            for separator in [
                " ",
                " - ",
                " – ",
                " — ",
                ": ",
                ", ",
                " including ",
                ", including ",
                " such as ",
            ] {
                add(format!("{word}{separator}"), Side::After);
            }
        }
        for possessive in ["'s ", "’s ", "' ", "’ "] {
            add(possessive.to_string(), Side::Possessive);
        }
        for head in HEAD_WORDS {
            add(format!(" {head}"), Side::Head);
        }
        add("Air ".to_string(), Side::FirstWord);
        for kind in EXCHANGE_KINDS {
            add(format!(" {kind} exchange"), Side::Exchange);
        }
        add("-based ".to_string(), Side::Base);
        add(".com".to_string(), Side::DotCom);
        for word in BUSINESS {
            add(word.to_string(), Side::Business);
        }
        for word in market_forms() {
            add(word, Side::Market);
        }
        // A DFA: every passage is searched whole for cues, and with a few hundred patterns
        // (many starting with a space, which defeats the prefilter) the default NFA took
        // three quarters of tagging time.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("cue patterns build");
        Cues { automaton, sides }
    })
}

/// How many words of markets (see [`Side::Market`]) `text` uses, counted up to `enough`.
/// Searched for alone, as an article is read ahead for them: the first words of a news story
/// name its companies ("oil firm Yukos") before the story gives the figures that show it
/// talks business.
pub(crate) fn market_words(text: &str, enough: usize) -> usize {
    static MARKETS: OnceLock<AhoCorasick> = OnceLock::new();
    let automaton = MARKETS.get_or_init(|| {
        // Few patterns, none starting with a space: the prefilter skips most bytes.
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(market_forms())
            .expect("market patterns build")
    });
    automaton
        .find_iter(text)
        .filter(|hit| is_cue_at(text, hit.start(), hit.end(), Side::Market))
        .take(enough)
        .count()
}

/// Every cue in `text`, in order, whole words only.
pub(crate) fn find_cues(text: &str, out: &mut Vec<Cue>) {
    out.clear();
    let cues = cues();
    for hit in cues.automaton.find_iter(text) {
        let (start, end) = (hit.start(), hit.end());
        let side = cues.sides[hit.pattern().as_usize()];
        if is_cue_at(text, start, end, side) {
            out.push(Cue { start, end, side });
        }
    }
}

/// Does the pattern found at `start..end` stand where its side wants it (whole words, "bn"
/// right after a number)?
fn is_cue_at(text: &str, start: usize, end: usize, side: Side) -> bool {
    let word_edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    match side {
        Side::After => word_edge(prev_char(text, start)),
        Side::Possessive => true,
        Side::Head => word_edge(next_char(text, end)),
        Side::FirstWord => word_edge(prev_char(text, start)),
        Side::DotCom | Side::Exchange => word_edge(next_char(text, end)),
        Side::Base => prev_char(text, start).is_some_and(char::is_alphabetic),
        Side::Business | Side::Market => {
            let cue = &text[start..end];
            // "27%", "$27bn": these two follow a number directly.
            let after_number = cue.starts_with('%')
                || (cue == "bn" && prev_char(text, start).is_some_and(|c| c.is_ascii_digit()));
            // "Analysts expect" opens a sentence; "the Internet Archive", "the Online
            // Distributed Proofreading Team" are names, not talk of markets.
            let capitalised_in_sentence =
                side == Side::Market && !MARKET.contains(&cue) && !opens_sentence(text, start);
            (word_edge(prev_char(text, start)) || after_number)
                && word_edge(next_char(text, end))
                && !capitalised_in_sentence
        }
    }
}

/// Does a sentence open at `at`: nothing but quotes or brackets before it since the start of
/// the text, a full stop, a colon or a line break?
fn opens_sentence(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches(['"', '“', '‘', '\'', '(', '[', ' ', '\t']);
    before.is_empty() || before.ends_with(['.', '!', '?', ':', '\n'])
}

/// Does the passage use a business word, a market figure ("55%", "$27bn"), or
/// [`MARKET_TALK`] words of markets? (A cue that names a company is business talk too: the
/// caller knows which did.) One word of markets alone is no business talk: old prose has its
/// "postal revenue" and "a billion stars".
pub(crate) fn talks_business(text: &str, cues: &[Cue]) -> bool {
    let figure = |c: &Cue| c.side == Side::Market && matches!(&text[c.start..c.end], "%" | "bn");
    cues.iter().any(|c| c.side == Side::Business || figure(c)) || market_cues(cues) >= MARKET_TALK
}

/// How many words of markets the passage uses.
pub(crate) fn market_cues(cues: &[Cue]) -> usize {
    cues.iter().filter(|c| c.side == Side::Market).count()
}

/// Is `cue` (an [`Side::After`] cue) a noun with a name in apposition ("arm, ", "company -
/// ")?
pub(crate) fn names_a_part(text: &str, cue: &Cue) -> bool {
    let cue_text = &text[cue.start..cue.end];
    cue_text
        .strip_suffix(", ")
        .is_some_and(|word| PART_BEFORE_NAME.contains(&word))
        || APPOSITION_MARKS[1..].iter().any(|dash| {
            cue_text
                .strip_suffix(dash)
                .is_some_and(|word| DASHED_BEFORE_NAME.contains(&word))
        })
}

/// Does `cue` (an [`Side::After`] cue) name a list of companies ("rivals Fitch and Moody's")?
pub(crate) fn names_a_list(text: &str, cue: &Cue) -> bool {
    let cue_text = &text[cue.start..cue.end];
    let cue_text = [" including ", ", including ", " such as "]
        .into_iter()
        .find_map(|joint| cue_text.strip_suffix(joint))
        .unwrap_or(cue_text);
    let word = cue_text.trim_end_matches([' ', '-', '–', '—', ':', ',']);
    BEFORE_NAMES.contains(&word)
}

/// Is `cue` (an [`Side::After`] cue) one noun ("firm ", "company - "), not a phrase ("shares
/// in ", "analyst at ", "news agency ")?
pub(crate) fn is_lone_noun(text: &str, cue: &Cue) -> bool {
    let noun = cue_noun(text, cue);
    !noun.contains(' ')
}

/// Is `cue` (an [`Side::After`] cue) a person's place of work ("analyst at ", "trader at ")?
/// Outside business talk the place is a town as often: "a trader at Bonny", "the
/// horse-dealer at Lyons".
pub(crate) fn is_workplace_cue(text: &str, cue: &Cue) -> bool {
    cue_noun(text, cue).ends_with(" at")
}

/// The noun or phrase of an [`Side::After`] cue without what sets the name off ("company"
/// for "company - ", "arm" for "arm, ", "shares in" for "shares in ").
fn cue_noun<'a>(text: &'a str, cue: &Cue) -> &'a str {
    let cue_text = &text[cue.start..cue.end];
    APPOSITION_MARKS
        .iter()
        .find_map(|mark| cue_text.strip_suffix(mark))
        .unwrap_or(cue_text)
        .trim_end()
}

/// Is `cue` also an ordinary one-name cue ("companies " is, "rivals " and "banks, " are not)?
pub(crate) fn is_plain_cue(text: &str, cue: &Cue) -> bool {
    text[cue.start..cue.end]
        .strip_suffix(' ')
        .is_some_and(|word| BEFORE_NAME.contains(&word))
}

/// Is `name`, found after a cue that ends in "in" or "of", a place where shares trade?
pub(crate) fn is_trading_place(name: &str) -> bool {
    TRADING_PLACES.contains(name)
}

/// The words before an [`Side::After`] cue noun allow it ("oil firm", not "pressure group").
pub(crate) fn after_cue_applies(text: &str, cue: &Cue) -> bool {
    let word = cue_noun(text, cue);
    if word.contains(' ') {
        return true;
    }
    let before = text[..cue.start].trim_end();
    let prev = before
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    // "the firm", "a bank": a determiner before the noun means the noun is the subject
    // ("the bank Lloyds"? rare); a sentence that starts with the noun has no name after it.
    let prev = prev.to_lowercase();
    !NOT_BUSINESS_BEFORE.contains(&prev) && !matches!(prev.as_str(), "the" | "a" | "an" | "")
}

/// The capitalised name right after `at` ("Yukos" in "oil firm Yukos, which"): byte range,
/// possessive dropped. Up to `max_words` name words, joined by "&" or "of" after a bank-like
/// head; none when the first word is a sentence word or title ("firm Chairman").
pub(crate) fn name_after(text: &str, at: usize, max_words: usize) -> Option<(usize, usize)> {
    let mut pos = at;
    let mut range: Option<(usize, usize)> = None;
    let mut words = 0;
    while words < max_words {
        let rest = &text[pos..];
        let token_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        if token_len == 0 {
            break;
        }
        let token = &rest[..token_len];
        if token == "&" && range.is_some() {
            pos += token_len + 1;
            if pos > text.len() {
                break;
            }
            continue;
        }
        let core = token.trim_end_matches([',', ';', ':', '.', ')', '"', '”', '’', '\'', '!', '?']);
        let core = core
            .strip_suffix("'s")
            .or_else(|| core.strip_suffix("’s"))
            .unwrap_or(core);
        if core.is_empty() || !is_name_word(core) || (range.is_none() && is_leading_noise(core)) {
            break;
        }
        let end = pos + core.len();
        range = Some((range.map_or(pos, |r| r.0), end));
        words += 1;
        if core.len() != token.len() || pos + token_len >= text.len() {
            break; // punctuation or a possessive ends the name
        }
        pos += token_len;
        if !text[pos..].starts_with(' ') {
            break;
        }
        pos += 1;
    }
    range
}

/// May `name` (ending in the head word `head`) be a company? A public bank ("World Bank",
/// "Central Bank") is not.
pub(crate) fn head_name_applies(name: &str, head: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 {
        return false;
    }
    if head == "Bank" || head == "Banks" {
        return !words.iter().any(|w| PUBLIC_BANKS.contains(w));
    }
    true
}

/// Heads that also end the names of products, fields and places ("Macassar Oil", "Psychical
/// Research"): a company only where business is talked. ("Bank" ends sea banks too, "the
/// Agulhas Bank", but as many banks in novels as in news.)
pub(crate) fn needs_business_talk(head: &str) -> bool {
    matches!(
        head,
        "Oil" | "Research" | "Economics" | "Insight" | "Capital"
    )
}

/// Does the passage speak of the sea, where a "Bank" is a bank of the sea ("since we passed
/// the Bahama Bank") and a "Group" a group of islands ("the Fourteen Island Group")?
pub(crate) fn speaks_of_the_sea(text: &str) -> bool {
    text.split(|c: char| !c.is_alphabetic())
        .any(|word| SEA_WORDS.contains(word))
}

/// Words of the sea and its floor, lower case.
#[rustfmt::skip]
static SEA_WORDS: WordSet = WordSet::new(&[
    "sea", "seas", "ocean", "atoll", "atolls", "reef", "reefs", "coral", "fathoms", "soundings",
    "shoal", "shoals", "sail", "sails", "lagoon", "island", "islands", "whale", "whalers",
    "fishing", "cod", "tide", "tides", "anchor", "anchored", "water", "waters", "kelp", "cape",
    "harbour", "harbor", "gulf", "strait", "straits", "coast", "shore", "shores", "marooned",
]);

/// Is the name at `start..end` part of a longer proper name: a title or a body ("Society for
/// Psychical Research", "Studies in Psychical Research", "the Psychical Research Society")?
pub(crate) fn inside_longer_title(text: &str, start: usize, end: usize) -> bool {
    let mut before = text[..start].split_whitespace().rev();
    let joined_after_capital = matches!(before.next(), Some("for" | "of" | "in" | "on"))
        && before
            .next()
            .is_some_and(|w| w.starts_with(char::is_uppercase));
    let next = text[end..].split_whitespace().next().unwrap_or("");
    let next = next.trim_end_matches(|c: char| !c.is_alphanumeric());
    joined_after_capital || BODY_HEADS.contains(next)
}

/// Capitalised words after which a name goes on as a body that is not a firm.
static BODY_HEADS: WordSet = WordSet::new(&[
    "Society",
    "Institute",
    "Association",
    "Council",
    "Committee",
    "Club",
    "Foundation",
    "Union",
    "League",
    "Journal",
    "Review",
    "Quarterly",
    "Magazine",
    "Proceedings",
    "Department",
    "School",
    "College",
    "University",
    "Laboratory",
    "Station",
]);

/// May "Air" followed by `next` start an airline's name ("Air Jamaica", not "Air Force")?
pub(crate) fn airline_applies(next: &str) -> bool {
    !NOT_AIRLINES.contains(next)
}

/// Is `word` (after a possessive) one that companies own ("chief", "shares")?
pub(crate) fn owned_by_company(word: &str) -> bool {
    OWNED_BY_COMPANIES.contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(text: &str) -> Vec<(String, Side)> {
        let mut out = Vec::new();
        find_cues(text, &mut out);
        out.iter()
            .map(|c| (text[c.start..c.end].to_string(), c.side))
            .collect()
    }

    #[test]
    fn finds_cues_as_whole_words() {
        assert_eq!(
            sides("Russian oil firm Zelenka and Calder Airways"),
            [
                ("firm ".to_string(), Side::After),
                (" Airways".to_string(), Side::Head)
            ]
        );
        assert!(sides("the affirm Zelenka").is_empty());
        assert_eq!(sides("Harwick's chief")[0].1, Side::Possessive);
    }

    #[test]
    fn names_after_a_cue() {
        let text = "oil firm Zelenka Petroleum, which said";
        let (s, e) = name_after(text, 9, 7).unwrap();
        assert_eq!(&text[s..e], "Zelenka Petroleum");
        let text = "shares in Harwick's unit";
        let (s, e) = name_after(text, 10, 7).unwrap();
        assert_eq!(&text[s..e], "Harwick");
        assert!(name_after("firm Chairman Lee", 5, 7).is_none());
        assert!(name_after("firm said", 5, 7).is_none());
    }

    #[test]
    fn public_banks_and_air_forces_are_not_companies() {
        assert!(head_name_applies("Korea Northern Bank", "Bank"));
        assert!(!head_name_applies("World Bank", "Bank"));
        assert!(!head_name_applies("Bank", "Bank"));
        assert!(airline_applies("Jamaica"));
        assert!(!airline_applies("Force"));
    }
}

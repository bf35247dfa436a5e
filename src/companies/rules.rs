//! The "beyond the list" rules: which run of capitalised words before a legal suffix forms a
//! company name ("On Tuesday Payne Webber Group Inc" → "Payne Webber"), and which short form
//! of a newly met firm later counts on its own ("Halvorsen" for "Halvorsen Marine").

use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use super::suffix::{is_generic_suffix, is_suffix_word, strip_legal_suffix};
use super::text::{has_lower, is_all_caps};
use super::word_set::Fnv;
use super::word_set::WordSet;

/// Longest name the suffix rule builds, in words.
pub(crate) const MAX_RUN_WORDS: usize = 7;

/// Sentence words that are capitalised but not part of a name; dropped from a run's front.
#[rustfmt::skip]
static LEADING_NOISE: WordSet = WordSet::new(&[
    "The", "A", "An", "On", "In", "At", "By", "For", "From", "With", "And", "But", "Or", "Of", "To",
    "As", "After", "Before", "While", "When", "Since", "Under", "Over", "Into", "Like", "Unlike",
    "Including", "Also", "Then", "Now", "Today", "Yesterday", "Last", "Next", "This", "That",
    "These", "Those", "Its", "Their", "Our", "His", "Her", "Both", "Meanwhile", "Separately",
    "Earlier", "Later", "However", "Still", "Even", "Only", "If", "Though", "Although", "Because",
    "Per", "Via", "Through", "About", "Against", "Among", "Between", "During", "Without", "Within",
    "Around", "Toward", "Towards", "Shares", "Analysts", "Investors", "Rival", "Rivals", "Peer",
    "Peers", "Unit", "Subsidiary", "Parent", "Startup", "Start-up", "Lender", "Insurer", "Carmaker",
    "Automaker", "Retailer", "Supplier", "Chipmaker", "Buyer", "Seller", "Client", "Customer",
    "Partner", "Partners", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Mr", "Ms", "Mrs", "Dr", "CEO", "CFO", "Chairman", "Chief",
    "Executive", "President", "Founder", "Spokesperson", "Spokesman", "Spokeswoman", "Both", "Each",
    "Every", "Several", "Many", "Most", "Some", "All", "Where", "Why", "How", "What", "Who",
    "Which", "Whether", "Here", "There", "It", "We", "They", "He", "She", "I", "You", "Is", "Was",
    "Are", "Were", "Has", "Have", "Had", "Will", "Would", "Could", "Should", "Can", "May", "Might",
    "Must", "Not", "No", "Yes", "So", "Yet", "Nor", "Plus", "Minus", "Once", "Until", "Upon",
    "Above", "Below", "Beyond", "Despite", "Amid", "Following", "According",
]);

/// Abbreviations whose dot does not end a sentence inside a name ("Warner Bros. Discovery").
#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "Bros.", "St.", "Mt.", "Intl.", "Mfg.", "Natl.", "Ft.", "Cos.",
];

/// Words between capitalised name words ("Vogel & Sons", "Bank of Montreal").
#[rustfmt::skip]
const CONNECTORS: &[&str] = &[
    "&", "and", "of", "de", "van", "von", "der", "den", "du", "del", "la",
];

/// Heads after which "of" stays inside a name ("Bank of Montreal").
#[rustfmt::skip]
const OF_HEADS: &[&str] = &[
    "Bank", "Banco", "Society", "Institute", "Bureau", "Corporation", "Company", "Trust",
    "Association", "Council", "Authority", "Fund", "Commission", "Industries", "Insurance",
    "Exchange", "Port", "Republic", "Kingdom", "House", "Mutual", "Brotherhood", "Sisters",
];

/// Capitalised words too ordinary to stand alone for a firm ("General" in "General Freight").
#[rustfmt::skip]
static COMMON_NAME_WORDS: WordSet = WordSet::new(&[
    "General", "American", "National", "United", "International", "Global", "First", "New", "Royal",
    "Standard", "Universal", "Pacific", "Atlantic", "Northern", "Southern", "Eastern", "Western",
    "North", "South", "East", "West", "Central", "Capital", "Digital", "Advanced", "Applied",
    "Allied", "Consolidated", "Continental", "Federal", "Imperial", "Industrial", "Integrated",
    "Modern", "Mutual", "Premier", "Prime", "Pioneer", "Summit", "Star", "Blue", "Green", "Black",
    "White", "Silver", "Golden", "Gold", "Great", "Little", "Best", "Smart", "Bright", "Clear",
    "True", "Pure", "Quantum", "Alpha", "Beta", "Delta", "Omega", "Apex", "Vertex", "Metro",
    "Urban", "City", "Coastal", "Mountain", "River", "Lake", "Ocean", "Harbor", "Harbour", "Valley",
    "Park", "Bank", "Trust", "Energy", "Power", "Water", "Solar", "Wind", "Steel", "Motor",
    "Motors", "Auto", "Marine", "Medical", "Health", "Pharma", "Tech", "Data", "Software",
    "Systems", "Network", "Networks", "Media", "Food", "Foods", "Home", "Life", "Insurance",
    "Financial", "Finance", "Investment", "Investments", "Partners", "Ventures", "Logistics",
    "Freight", "Shipping", "Transport", "Mining", "Metals", "Chemical", "Chemicals", "Security",
    "Services", "Solutions", "Resources", "Brands", "Retail", "Stores", "Market", "Markets",
    "Mobile", "Cloud", "Cyber", "Robotics", "Labs", "Research", "Science", "Sciences", "Analytics",
    "Design", "Studio", "Studios", "Games", "Entertainment", "Communications", "Telecom",
    "Electric", "Electronics", "Machines", "Equipment", "Materials", "Products", "Industries",
    "Enterprises", "Technologies", "Technology", "Engineering", "Construction", "Properties",
    "Realty", "Development", "Asset", "Assets", "Management", "Advisors", "Advisory", "Consulting",
    "Europe", "European", "Asia", "Asian", "China", "Chinese", "Japan", "Japanese", "India",
    "Indian", "German", "British", "French", "Swiss", "Nordic", "Canadian", "Australian", "African",
    "Latin", "Texas", "California", "London", "Paris", "Berlin", "Tokyo", "Sydney", "Northwest",
    "Southwest", "Northeast", "Southeast", "Atlas", "Titan", "Orbit", "Nova", "Sterling", "Liberty",
    "Heritage", "Legacy", "Frontier", "Horizon", "Vision", "Venture", "Union", "Alliance",
    "Pacifica", "Evergreen", "Redwood", "Oak", "Pine", "Cedar", "Maple", "Stone", "Rock", "Iron",
    "Copper", "Lithium", "Carbon", "Hydrogen", "Nuclear", "Fusion", "Ocean", "Polar", "Arctic",
    "Sunrise", "Sunset", "Crown", "Empire", "Kingdom", "Victory", "Phoenix", "Eagle", "Falcon",
    "Hawk", "Lion", "Tiger", "Bear", "Wolf", "Fox", "Northstar",
]);

/// Words that describe a known company rather than extend its name ("Chinese Alibaba Group").
#[rustfmt::skip]
static DESCRIPTORS: WordSet = WordSet::new(&[
    "American", "Chinese", "German", "French", "British", "Japanese", "Korean", "South", "North",
    "Indian", "Swiss", "Dutch", "Italian", "Spanish", "Swedish", "Norwegian", "Danish", "Finnish",
    "Canadian", "Australian", "Brazilian", "Mexican", "European", "Asian", "US", "U.S.", "UK",
    "U.K.", "EU", "Taiwanese", "Israeli", "Saudi", "Irish", "Belgian", "Austrian", "Russian",
    "English", "Scottish", "Scotch", "Welsh", "Portuguese", "Greek", "Prussian", "Hungarian",
    "Czech", "Thai", "Peruvian", "Cuban",
    "Polish", "Turkish", "Emirati", "Singaporean", "Indonesian", "Argentine", "Chilean",
    "Colombian", "Nigerian", "Kenyan", "Egyptian", "African", "Global", "Giant", "Tech",
    "Technology", "Retail", "Banking", "Oil", "Energy", "Auto",
]);

/// Common English words, lower case (`data/common-words.txt`, generated from general prose by
/// `scripts/company-ambiguity.py`).
const COMMON_WORDS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/common-words.txt"
));

fn is_common_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str, BuildHasherDefault<Fnv>>> = OnceLock::new();
    let set = SET.get_or_init(|| {
        COMMON_WORDS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    });
    set.contains(word.to_lowercase().as_str())
}

/// Is `words` made only of ordinary words ("Fog", "Bay", "English"): common English words,
/// nationalities and sentence words, so that as a name it needs other evidence?
pub(crate) fn is_ordinary(words: &str) -> bool {
    let mut any = false;
    let all = words.split_whitespace().all(|w| {
        any = true;
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.chars().count() <= 1
            || is_common_word(w)
            || DESCRIPTORS.contains(w)
            || is_leading_noise(w)
            || is_connector(w)
    });
    any && all
}

/// Words that say what kind of company is meant, not which: "a great Joint Stock Company",
/// "the Railway Company" (the railway's, named before), "the Artillery Company", "the First
/// Company", "the White Company" (soldiers), "the City Corporation" (a town's government).
#[rustfmt::skip]
static KINDS_OF_COMPANY: WordSet = WordSet::new(&[
    "Joint", "Stock", "Joint-Stock", "Limited", "Chartered", "Public", "Private", "Holding",
    "Trading", "Parent", "Insurance", "Railway", "Railroad", "Navigation", "Telegraph",
    "Telephone", "Steamship", "Gas", "Water", "Canal", "Dock", "Bridge", "Artillery", "Military",
    "Infantry", "Cavalry", "Rifle", "Guards", "Free", "First", "Second", "Third", "Fourth",
    "Fifth", "City", "Town", "County", "Borough", "White", "Black", "Red", "Blue", "Green",
    "Grey", "Hotel", "Mining", "Shipping", "Land", "Building", "Loan", "Assurance", "Mutual",
]);

/// Last words of a troupe of players' name ("the Frohman Comedy Company", "Skive's Dramatic
/// Company"): a theatre company, not a firm.
const TROUPE_WORDS: &[&str] = &[
    "Comedy",
    "Dramatic",
    "Opera",
    "Theatre",
    "Theater",
    "Minstrel",
    "Minstrels",
    "Repertory",
    "Vaudeville",
];

/// Is `name` a troupe of players ("Stoddart Comedy")?
pub(crate) fn is_troupe(name: &str) -> bool {
    name.rsplit(' ')
        .next()
        .is_some_and(|last| TROUPE_WORDS.contains(&last))
}

/// Is `name` only words of a kind of company ("Joint Stock", "Railway")?
pub(crate) fn only_kind_of_company(name: &str) -> bool {
    name.split_whitespace()
        .all(|w| KINDS_OF_COMPANY.contains(w))
}

/// True when every word of `words` only describes a company ("Chinese", "U.S.").
pub(crate) fn only_descriptors(words: &str) -> bool {
    words
        .split_whitespace()
        .all(|w| DESCRIPTORS.contains(w) || is_leading_noise(w) || is_connector(w))
}

pub(crate) fn is_leading_noise(word: &str) -> bool {
    LEADING_NOISE.contains(word)
}

fn is_connector(word: &str) -> bool {
    CONNECTORS.contains(&word)
}

/// A word that may be part of a name: starts with a capital (or a digit, as in "3M"), and is
/// not a hyphenated description such as "Oslo-based".
pub(crate) fn is_name_word(word: &str) -> bool {
    let mut chars = word.chars();
    let first_ok = match chars.next() {
        Some(c) if c.is_uppercase() => true,
        Some(c) if c.is_ascii_digit() => word.chars().any(char::is_uppercase),
        _ => false,
    };
    let described = word
        .split('-')
        .skip(1)
        .any(|part| part.starts_with(char::is_lowercase));
    let dotted_ok = !word.ends_with('.') || is_initials(word) || ABBREVIATIONS.contains(&word);
    first_ok && !described && dotted_ok
}

/// "J.", "U.S.", "J.P.": initials keep their dots inside a name.
fn is_initials(word: &str) -> bool {
    word.chars().all(|c| c.is_uppercase() || c == '.')
}

/// A whitespace-separated token of `text` ending at or before `end`: (start, end).
pub(crate) fn token_before(text: &str, end: usize) -> Option<(usize, usize)> {
    let head = text[..end].trim_end();
    if head.is_empty() {
        return None;
    }
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    Some((start, head.len()))
}

/// Does a token close a phrase, so that the name cannot extend back over it?
fn closes_phrase(token: &str) -> bool {
    token.ends_with([',', ';', ':', '!', '?', ')', ']', '"', '”', '’', '\''])
        || token.ends_with("'s")
        || token.ends_with("’s")
        || (token.ends_with('.') && !is_initials(token) && !ABBREVIATIONS.contains(&token))
}

/// Strips opening quotes or brackets; says whether any were there.
fn strip_opening(token: &str) -> (&str, bool) {
    let core = token.trim_start_matches(['(', '[', '"', '“', '‘', '\'']);
    (core, core.len() != token.len())
}

/// How far [`run_before`] may reach.
pub(crate) struct RunLimits<'a> {
    /// The run ends at a legal suffix, so "Acme, Inc." and "Vogel & Co." are allowed.
    pub(crate) before_suffix: bool,
    /// Most name words taken (fewer in title-case headlines, where verbs are capitalised).
    pub(crate) max_words: usize,
    /// Whether a company mention already found ends at a byte position: a connector never
    /// glues two companies together ("Microsoft and Acme Inc.").
    pub(crate) ends_mention: &'a dyn Fn(usize) -> bool,
}

/// The capitalised run that ends right before `end` (a suffix or a known name), as a byte
/// range, with leading sentence words dropped.
pub(crate) fn run_before(text: &str, end: usize, limits: &RunLimits) -> Option<(usize, usize)> {
    let mut cursor = end;
    let mut run: Option<(usize, usize)> = None;
    let mut words = 0;
    while let Some((ts, te)) = token_before(text, cursor) {
        let token = &text[ts..te];
        let first = run.is_none() && limits.before_suffix;
        cursor = ts;
        if first && token == "&" {
            continue; // "Vogel & Co."
        }
        let token = if first {
            token.strip_suffix(',').unwrap_or(token)
        } else {
            token
        };
        let (core, opened) = strip_opening(token);
        if closes_phrase(core) || words >= limits.max_words.min(MAX_RUN_WORDS) {
            break;
        }
        if is_connector(core) {
            if run.is_none() || !connector_joins(text, ts, core, limits.ends_mention) {
                break;
            }
            continue;
        }
        if !is_name_word(core)
            || (is_suffix_word(core) && !is_generic_suffix(core))
            || is_shouted_small_word(core)
        {
            break;
        }
        let core_start = ts + (token.len() - core.len());
        let core_end = core_start + core.len();
        run = Some((core_start, run.map_or(core_end, |r| r.1)));
        words += 1;
        if opened {
            break;
        }
    }
    let (start, run_end) = run?;
    trim_leading_noise(text, start, run_end).map(|s| (s, run_end))
}

/// May the connector at `at` join the word before it into the run?
fn connector_joins(
    text: &str,
    at: usize,
    connector: &str,
    ends_mention: &dyn Fn(usize) -> bool,
) -> bool {
    let Some((ps, pe)) = token_before(text, at) else {
        return false;
    };
    let prev = &text[ps..pe];
    if closes_phrase(prev) || !is_name_word(prev) || is_suffix_word(prev) || ends_mention(pe) {
        return false;
    }
    match connector {
        "of" => OF_HEADS.contains(&prev),
        // "Smith and Nephew", but not "Payne Webber and Brightwater Analytics Inc.".
        // Nor "Kaskela Oy of Finland and Lindberg Sensor AB".
        "and" => token_before(text, ps).is_none_or(|(s, e)| {
            let before = &text[s..e];
            !is_name_word(before) && !is_connector(before)
        }),
        _ => true,
    }
}

/// "OF", "THE", "AS" in capitals: a small word of an all-caps line, not part of a name.
fn is_shouted_small_word(word: &str) -> bool {
    word.len() <= 5
        && is_all_caps(word)
        && (LEADING_NOISE
            .words()
            .iter()
            .chain(CONNECTORS)
            .any(|w| w.eq_ignore_ascii_case(word)))
}

/// Start of the run once leading sentence words and connectors are dropped.
fn trim_leading_noise(text: &str, start: usize, end: usize) -> Option<usize> {
    let slice = &text[start..end];
    let mut offset = 0;
    for word in slice.split_whitespace() {
        let at = offset + slice[offset..].find(word).unwrap_or(0);
        if !(is_leading_noise(word) || is_connector(word)) {
            return Some(start + at);
        }
        offset = at + word.len();
    }
    None
}

/// The name of a firm from its run as written: whitespace collapsed, suffixes dropped.
pub(crate) fn firm_name(run: &str) -> String {
    let collapsed: Vec<&str> = run.split_whitespace().collect();
    strip_legal_suffix(&collapsed.join(" ")).to_string()
}

/// Shorter forms of a multi-word firm name that may stand for the firm on their own: a
/// distinctive first word ("Halvorsen" for "Halvorsen Marine", never "General" for "General
/// Freight"), and the name without a trailing trade word ("Van der Berg" for "Van der Berg
/// Logistics").
/// First words that say what kind of body a firm is rather than which ("Group Menatep",
/// "Banco Santander"): the rest of the name is its short form.
const LEADING_GENERIC: &[&str] = &[
    "Group",
    "Grupo",
    "Groupe",
    "Gruppo",
    "Banco",
    "Banca",
    "Compagnie",
    "Société",
    "Societe",
];

/// Last words of firms named after a place ("Cranston Bank", "Erie Railroad").
const PLACE_NAMED_KINDS: &[&str] = &["Bank", "Railway", "Railroad", "Canal"];

/// Is `name` a firm named after a place ("Cranston Bank", "Sulaco National Bank"), so that its
/// first word alone may name the town as well ("in Cranston") as the firm ("Riggs said")?
pub(crate) fn named_after_place(name: &str) -> bool {
    name.rsplit(' ')
        .next()
        .is_some_and(|last| PLACE_NAMED_KINDS.contains(&last))
}

pub(crate) fn short_forms(name: &str) -> Vec<&str> {
    let mut forms = Vec::new();
    let Some((first, _)) = name.split_once(' ') else {
        return forms;
    };
    let letters = first.chars().filter(|c| c.is_alphabetic()).count();
    // "Halvorsen" for "Halvorsen Marine"; an acronym of three letters too ("BLB Investors").
    let distinctive = (letters >= 4 || (letters == 3 && is_all_caps(first)))
        && is_name_word(first)
        && (has_lower(first) || first.len() <= 5)
        && first.chars().all(|c| c.is_alphanumeric() || c == '-')
        && !COMMON_NAME_WORDS.contains(first)
        && !is_leading_noise(first)
        && !is_suffix_word(first);
    if distinctive {
        forms.push(first);
    }
    // "Menatep" for "Group Menatep", "Santander" for "Banco Santander".
    if let Some((lead, rest)) = name.split_once(' ') {
        let rest_letters = rest.chars().filter(|c| c.is_alphabetic()).count();
        if LEADING_GENERIC.contains(&lead)
            && rest_letters >= 4
            && rest.split(' ').all(is_name_word)
            && !rest.split(' ').any(|w| COMMON_NAME_WORDS.contains(w))
        {
            forms.push(rest);
        }
    }
    if let Some((head, last)) = name.rsplit_once(' ') {
        let head_ends_clean = head.rsplit(' ').next().is_some_and(|w| !is_connector(w));
        if head.contains(' ') && head_ends_clean && COMMON_NAME_WORDS.contains(last) {
            forms.push(head);
        }
    }
    forms
}

/// Trade words that legal names carry and news drops ("Toyota Motor", "Infineon
/// Technologies"): a name that does not resolve is tried again without one.
#[rustfmt::skip]
static GENERIC_TAILS: WordSet = WordSet::new(&[
    "Technologies", "Technology", "Communications", "Semiconductors", "Semiconductor", "Motor",
    "Platforms", "Wholesale", "US", "Systems", "Pharmaceuticals", "Pharmaceutical", "International",
    "Industries", "Entertainment", "Brands", "Enterprises", "Financial",
]);

/// `name` without a trailing trade word, when it has one.
pub(crate) fn without_generic_tail(name: &str) -> Option<&str> {
    let (head, last) = name.rsplit_once(' ')?;
    GENERIC_TAILS.contains(last).then_some(head)
}

/// Capitalised words that, right after a company name, make it part of a place name
/// ("Toyota City", "Amazon River").
#[rustfmt::skip]
static PLACE_HEADS: WordSet = WordSet::new(&[
    "City", "River", "Basin", "Rainforest", "Valley", "Street", "County", "Square", "Island",
    "Islands", "Lake", "Mountain", "Mountains", "Bay", "Beach", "Forest", "Delta", "Jungle",
    "Hotel", "Inn", "Road", "Avenue", "Hall", "Church", "Bridge", "Castle", "Palace", "Station",
]);

/// Is the name at `start..end` part of a longer proper name that is not the company? "the Big
/// Apple" (a capitalised word before it in mid-sentence), "Toyota City" (a place word after
/// it), "the Oracle of Omaha" (a title).
pub(crate) fn inside_other_name(text: &str, start: usize, end: usize) -> bool {
    let after = text[end..]
        .strip_prefix(' ')
        .and_then(|rest| rest.split(' ').next());
    let after = after.map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()));
    if after.is_some_and(|w| PLACE_HEADS.contains(w)) {
        return true;
    }
    if !text[..start].ends_with(' ') {
        return false;
    }
    let Some((ps, pe)) = token_before(text, start) else {
        return false;
    };
    let prev = &text[ps..pe];
    if matches!(prev, "the" | "The") {
        let rest = &text[end..];
        return rest.starts_with(" of ") && rest[4..].starts_with(char::is_uppercase);
    }
    // A capitalised word in mid-sentence (after a lower-case word) right before the name.
    is_name_word(prev)
        && has_lower(prev)
        && !closes_phrase(prev)
        && !is_leading_noise(prev)
        && !DESCRIPTORS.contains(prev)
        && !is_suffix_word(prev)
        && token_before(text, ps).is_some_and(|(s, _)| text[s..].starts_with(char::is_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(ends_mention: &dyn Fn(usize) -> bool) -> RunLimits<'_> {
        RunLimits {
            before_suffix: true,
            max_words: MAX_RUN_WORDS,
            ends_mention,
        }
    }

    fn run(text: &str, end_marker: &str) -> Option<String> {
        let end = text.find(end_marker)?;
        let (s, e) = run_before(text, end, &limits(&|_| false))?;
        Some(text[s..e].to_string())
    }

    #[test]
    fn builds_runs_before_suffixes() {
        assert_eq!(
            run("The Payne Webber Group Inc said", " Group").as_deref(),
            Some("Payne Webber")
        );
        assert_eq!(
            run("On Tuesday Halvorsen Marine ASA said", "ASA").as_deref(),
            Some("Halvorsen Marine")
        );
        assert_eq!(
            run("a deal with Vogel & Sons GmbH", "GmbH").as_deref(),
            Some("Vogel & Sons")
        );
        assert_eq!(run("Acme, Inc. rose", "Inc.").as_deref(), Some("Acme"));
        assert_eq!(run("Vogel & Co. rose", "Co.").as_deref(), Some("Vogel"));
        assert_eq!(
            run("the Bank of Tromso ASA", "ASA").as_deref(),
            Some("Bank of Tromso")
        );
        assert_eq!(
            run("shares of Kessler Freight GmbH", "GmbH").as_deref(),
            Some("Kessler Freight")
        );
        assert_eq!(run("the Group said", "Group"), None);
        assert_eq!(
            run("Norway's Halvorsen Marine ASA", "ASA").as_deref(),
            Some("Halvorsen Marine")
        );
        assert_eq!(
            run("Oslo-based Halvorsen AS", "AS").as_deref(),
            Some("Halvorsen")
        );
        assert_eq!(
            run("(Halvorsen Marine ASA)", "ASA").as_deref(),
            Some("Halvorsen Marine")
        );
        assert_eq!(run("J.P. Vogel Ltd", "Ltd").as_deref(), Some("J.P. Vogel"));
        assert_eq!(
            run("A GLAD CRY OF SURPRISE AS TOM", " AS").as_deref(),
            Some("SURPRISE")
        );
        assert_eq!(
            run("said Warner Bros. Discovery Inc.", "Inc.").as_deref(),
            Some("Warner Bros. Discovery")
        );
        let text = "Kaskela Oy of Finland and Lindberg Sensor AB of Sweden";
        assert_eq!(run(text, "AB").as_deref(), Some("Lindberg Sensor"));
    }

    #[test]
    fn connectors_do_not_glue_companies() {
        let text = "Payne Webber and Brightwater Analytics Inc. agreed";
        let end = text.find("Inc.").unwrap();
        let (s, e) = run_before(text, end, &limits(&|_| false)).unwrap();
        assert_eq!(&text[s..e], "Brightwater Analytics");
        let text = "Apple and Acme Inc.";
        let end = text.find("Inc.").unwrap();
        let (s, e) = run_before(text, end, &limits(&|pos| pos == 5)).unwrap();
        assert_eq!(&text[s..e], "Acme");
        let text = "Smith and Nephew plc";
        let (s, e) = run_before(text, 17, &limits(&|_| false)).unwrap();
        assert_eq!(&text[s..e], "Smith and Nephew");
        let text = "Jane Doe of Acme Ltd";
        let (s, e) = run_before(text, 17, &limits(&|_| false)).unwrap();
        assert_eq!(&text[s..e], "Acme");
    }

    #[test]
    fn names_and_short_forms() {
        assert_eq!(firm_name("Payne  Webber\nGroup"), "Payne Webber");
        assert_eq!(short_forms("Halvorsen Marine"), ["Halvorsen"]);
        assert!(short_forms("General Freight").is_empty());
        assert!(short_forms("Halvorsen").is_empty());
        assert_eq!(short_forms("Vogel & Sons"), ["Vogel"]);
        assert_eq!(short_forms("Van der Berg Logistics"), ["Van der Berg"]);
        assert_eq!(without_generic_tail("Toyota Motor"), Some("Toyota"));
        assert_eq!(without_generic_tail("Kessler Freight"), None);
    }

    #[test]
    fn names_inside_other_names() {
        let inside = |text: &str, name: &str| {
            let start = text.find(name).unwrap();
            inside_other_name(text, start, start + name.len())
        };
        assert!(inside("Traders in the Big Apple were calm", "Apple"));
        assert!(inside("Residents of Toyota City voted", "Toyota"));
        assert!(inside("Buffett, the Oracle of Omaha, said", "Oracle"));
        assert!(!inside("Traders said Apple was calm", "Apple"));
        assert!(!inside("In March Apple said", "Apple"));
        assert!(!inside("the Chinese Alibaba said", "Alibaba"));
        assert!(!inside("Big Apple growers", "Apple"));
        assert!(!inside("Oracle of Omaha", "Oracle"));
    }
}

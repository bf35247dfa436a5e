//! Per-article tagging: what an article has taught the tagger so far (companies named by a
//! strong alias, firms met through a legal suffix, acronyms it defined, names its front
//! matter declared), and the rules that turn matcher candidates into company paths.

use std::collections::HashSet;

use super::context::{
    after_cue_applies, airline_applies, find_cues, head_name_applies, inside_longer_title,
    is_lone_noun, is_plain_cue, is_trading_place, is_workplace_cue, market_cues, market_talk_for,
    market_words, name_after, names_a_list, names_a_part, needs_business_talk, owned_by_company,
    speaks_of_the_sea, talks_business, Cue, Side, COMPANY_NOUNS, MARKET_TALK,
};
use super::matcher::{Candidate, Tagger};
use super::rules::{
    firm_name, is_name_word, is_ordinary, is_troupe, named_after_place, only_descriptors,
    only_kind_of_company, run_before, short_forms, token_before, without_generic_tail, RunLimits,
    MAX_RUN_WORDS,
};
use super::suffix::{is_generic_suffix, skip_spaces, strip_legal_suffix, suffix_chain_end};
use super::text::{
    all_caps_context, case_agrees, has_lower, is_all_caps, is_whole_word, next_char,
};
use crate::model::CompanyPath;

/// Name words the suffix rule takes in a Title Case Headline, where verbs are capitalised too.
const HEADLINE_RUN_WORDS: usize = 2;

/// Whom a mention names: a gazetteer entry or a firm this article introduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Entry(u32),
    Firm(u32),
}

#[derive(Clone, Copy, Debug)]
struct Mention {
    start: usize,
    end: usize,
    target: Target,
    /// Found through a weak alias: counts only once the article names the company strongly.
    weak: bool,
}

/// Which names of a firm met in the text count as its mentions later in the article.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Learn {
    /// Its name and its short forms ("Halvorsen" of "Halvorsen Marine ASA").
    ShortForms,
    /// Its name only (a name found in a headline, where runs are short).
    Name,
    /// Its name as written with "& Co." (and with "and Co."): a firm named after people
    /// ("Malvin & Co."), whose name alone is the person ("Malvin reported the anchor down").
    Written,
}

/// A name that means a company in this article only.
struct ArticleAlias {
    written: String,
    /// The name in capitals, for headlines ("HALVORSEN"), when that differs.
    shouted: Option<String>,
    /// First character of both forms: what the search looks for.
    first: char,
    target: Target,
    /// Whether the alias may name a town as well, and after which words it does.
    town: Town,
}

/// Aliases that name a place as well as a firm, and the words after which they name the place.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Town {
    /// A firm's name only.
    No,
    /// The first word of a firm named after its town ("Cranston" of "Cranston Bank"): after a
    /// preposition of place ("No one in Cranston", "the consideration of Congress"). Other
    /// firms' first words are not so read: "Analysts at Brightline" is the firm.
    FirstWord,
    /// A bank's or railway's name ("Elm Bank"): after "in", "at" or "near" ("he lived at Elm
    /// Bank").
    OwnName,
    /// A firm's name of one word ("the Missouri Company") or its first word ("the Missouri
    /// Fur Company"): only as a place's name with "the" (see [`Town::the_place`]).
    Word,
}

impl Town {
    fn named_after(self, text: &str, start: usize) -> bool {
        let word = text[..start]
            .trim_end()
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("");
        let near = matches!(word, "in" | "at" | "near" | "In" | "At" | "Near");
        match self {
            Town::No | Town::Word => false,
            Town::OwnName => near,
            Town::FirstWord => near || matches!(word, "of" | "to" | "from" | "From"),
        }
    }

    /// "up the Missouri, the party", "the head of the Missouri.": a place's name (a river's,
    /// a region's) takes "the" and ends the phrase; a firm's so written is rare ("the
    /// Halvorsen deal" goes on).
    fn the_place(self, text: &str, start: usize, end: usize) -> bool {
        let word = text[..start]
            .trim_end()
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("");
        self != Town::No
            && matches!(word, "the" | "The")
            && next_char(text, end)
                .is_none_or(|c| matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')'))
    }
}

/// Tags the passages of one article, in document order.
pub struct ArticleTagger<'t> {
    tagger: &'t Tagger,
    /// Entries (and their ancestors) named by a strong alias or declared in front matter.
    strong: HashSet<u32>,
    /// Firms outside the gazetteer, by the name the suffix rule gave them.
    firms: Vec<String>,
    aliases: Vec<ArticleAlias>,
    /// Mentions of the passage being tagged (buffers reused across passages).
    found: Vec<Mention>,
    from_aliases: Vec<Mention>,
    lower_case_hits: Vec<(usize, u32)>,
    cues: Vec<Cue>,
    /// Words of markets met so far (up to [`MARKET_TALK`]), or in the whole article when it
    /// was read ahead.
    market_words: usize,
    read_ahead: bool,
    /// The article uses words of markets: ambiguous list names count in it.
    talks_markets: bool,
}

impl<'t> ArticleTagger<'t> {
    pub(crate) fn new(tagger: &'t Tagger, declared: &[String]) -> ArticleTagger<'t> {
        let mut article = ArticleTagger {
            tagger,
            strong: HashSet::new(),
            firms: Vec::new(),
            aliases: Vec::new(),
            found: Vec::new(),
            from_aliases: Vec::new(),
            lower_case_hits: Vec::new(),
            cues: Vec::new(),
            market_words: 0,
            read_ahead: false,
            talks_markets: false,
        };
        for name in declared {
            article.declare(name);
        }
        article
    }

    /// Reads the whole article ahead for words of markets, so that its first passages are
    /// read as business news too ("oil firm Yukos" in the first line, "$27bn" in the third).
    /// Without it, an article talks markets from the first passage that shows it.
    pub fn reading(mut self, article_text: &str) -> ArticleTagger<'t> {
        let needed = market_talk_for(article_text.len());
        self.market_words = market_words(article_text, needed);
        self.talks_markets = self.market_words >= needed;
        self.read_ahead = true;
        self
    }

    /// Companies mentioned in this passage text, sorted and deduplicated. Call in document
    /// order (title first, then passages): the tagger learns article-level aliases as it goes.
    pub fn tag(&mut self, text: &str) -> Vec<CompanyPath> {
        self.found.clear();
        self.from_aliases.clear();
        find_cues(text, &mut self.cues);
        if !self.read_ahead {
            self.market_words = (self.market_words + market_cues(&self.cues)).min(MARKET_TALK);
            self.talks_markets = self.market_words >= MARKET_TALK;
        }
        self.scan_article_aliases(text);
        self.scan_candidates(text);
        self.apply_context(text);
        self.merge_alias_mentions();
        // "Mr. Hilton", "Doctor Coles", "Sir Hudson Lowe's": people, whatever list has them.
        self.found.retain(|m| !names_a_person(text, m.start));
        self.learn_strong_mentions();
        self.learn_ampersand_initials(text);
        self.paths()
    }

    /// A front-matter name: a gazetteer company (unlocking its weak aliases) or a new firm.
    fn declare(&mut self, name: &str) {
        let name = name.trim();
        let gazetteer = self.tagger.gazetteer();
        let entry = gazetteer
            .resolve_index(name)
            .or_else(|| gazetteer.ticker(&name.to_uppercase()));
        match entry {
            Some(entry) => self.mark_strong(entry),
            None if !name.is_empty() => {
                self.add_firm(strip_legal_suffix(name), Learn::ShortForms);
            }
            None => {}
        }
    }

    fn mark_strong(&mut self, entry: u32) {
        let gazetteer = self.tagger.gazetteer();
        let mut current = Some(entry);
        // The parent chain was checked for loops when the gazetteer was built; the bound
        // only guards against a bug there.
        for _ in 0..=gazetteer.len() {
            let Some(e) = current else { break };
            if !self.strong.insert(e) {
                break;
            }
            current = gazetteer.parent_of(e);
        }
    }

    /// Registers a firm met in this article; the names `learn` says then count as mentions
    /// in later passages.
    fn add_firm(&mut self, name: &str, learn: Learn) -> u32 {
        if let Some(i) = self.firms.iter().position(|f| f == name) {
            return i as u32;
        }
        if learn == Learn::Written {
            self.firms.push(name.to_string());
            return self.firms.len() as u32 - 1;
        }
        // "start-up Ledgerline" in the title, then "Ledgerline Technologies Inc.": one firm,
        // known from now on by its full name.
        let shorter = short_forms(name)
            .into_iter()
            .find_map(|form| self.firms.iter().position(|f| f == form));
        if let Some(i) = shorter {
            self.firms[i] = name.to_string();
            self.add_alias(name, Target::Firm(i as u32));
            return i as u32;
        }
        let index = self.firms.len() as u32;
        self.firms.push(name.to_string());
        self.add_alias(name, Target::Firm(index));
        // "the Missouri Company", then "up the Missouri,": a firm of one word may be named
        // after its place, as a bank is ("the train to Elm Bank").
        if named_after_place(name) {
            self.mark_last_alias_town(name, Town::OwnName);
        } else if !name.contains(' ') {
            self.mark_last_alias_town(name, Town::Word);
        }
        if learn == Learn::ShortForms {
            let mut forms: Vec<String> = short_forms(name).into_iter().map(String::from).collect();
            forms.extend(initials(name));
            forms.extend(ampersand_initials(name));
            forms.extend(solid_spelling(name));
            let first = name.split(' ').next();
            let town = if named_after_place(name) {
                Town::FirstWord
            } else {
                Town::Word
            };
            for form in forms {
                if self.tagger.gazetteer().resolve_index(&form).is_none() {
                    self.add_alias(&form, Target::Firm(index));
                    if first == Some(form.as_str()) {
                        self.mark_last_alias_town(&form, town);
                    }
                }
            }
        }
        index
    }

    /// The alias just added as `written` may name a town too (see [`ArticleAlias::town`]).
    fn mark_last_alias_town(&mut self, written: &str, town: Town) {
        if let Some(alias) = self.aliases.last_mut().filter(|a| a.written == written) {
            alias.town = town;
        }
    }

    fn add_alias(&mut self, written: &str, target: Target) {
        if written.is_empty() || self.aliases.iter().any(|a| a.written == written) {
            return;
        }
        let shouted = written.to_uppercase();
        // Article aliases are names and acronyms: capitalised, so the shouted form starts with
        // the same character; a lower-case first letter is searched in its written form only.
        let Some(first) = written.chars().next() else {
            return;
        };
        // "the Sulphur Company", then "SULPHUR IN TRANSYLVANIA.": one ordinary word shouted in
        // a heading is the word ("WORLD LIBRARY, INC." is still the firm).
        let one_word = !written.contains(' ');
        let shoutable =
            shouted != written && shouted.starts_with(first) && !(one_word && is_ordinary(written));
        self.aliases.push(ArticleAlias {
            written: written.to_string(),
            shouted: shoutable.then_some(shouted),
            first,
            target,
            town: Town::No,
        });
    }

    /// Finds the article's own aliases. They are few, so a search for each alias's first
    /// character (memchr-fast) beats building an automaton for every article.
    fn scan_article_aliases(&mut self, text: &str) {
        for alias in &self.aliases {
            for (start, _) in text.match_indices(alias.first) {
                let rest = &text[start..];
                let forms = std::iter::once(&alias.written).chain(&alias.shouted);
                let Some(form) = forms.into_iter().find(|f| rest.starts_with(f.as_str())) else {
                    continue;
                };
                let end = start + form.len();
                if is_whole_word(text, start, end)
                    && case_agrees(text, start, end, &alias.written)
                    && !alias.town.named_after(text, start)
                    && !alias.town.the_place(text, start, end)
                {
                    self.from_aliases.push(Mention {
                        start,
                        end,
                        target: alias.target,
                        weak: false,
                    });
                }
            }
        }
    }

    fn scan_candidates(&mut self, text: &str) {
        let mut pos = 0;
        let mut headline = None;
        let mut lower_case_hits = std::mem::take(&mut self.lower_case_hits);
        self.tagger.lower_case_hits(text, &mut lower_case_hits);
        while let Some(candidate) = self.tagger.next_candidate(text, pos, &lower_case_hits) {
            pos = match candidate {
                Candidate::Company {
                    start,
                    end,
                    entry,
                    weak,
                } => self.on_company(text, start, end, entry, weak, &mut headline),
                Candidate::Suffix { start, end } => self.on_suffix(text, start, end, &mut headline),
                Candidate::Ticker { start, end, entry } => {
                    self.push(start, end, Target::Entry(entry), false);
                    end
                }
            };
        }
        self.lower_case_hits = lower_case_hits;
    }

    /// A gazetteer name; with a legal suffix after it, it is strong even if weak alone
    /// ("Block Inc."), unless capitalised words before it make it part of another firm's
    /// name ("Vogel Apple Holdings Inc").
    fn on_company(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        entry: u32,
        weak: bool,
        headline: &mut Option<bool>,
    ) -> usize {
        let chain_end = suffix_chain_end(text, end);
        if chain_end > end && !is_headline(text, headline) && !all_caps_context(text, start, end) {
            if let Some((run_start, _)) = self.run_ending_at(text, start, false, MAX_RUN_WORDS) {
                if !only_descriptors(&text[run_start..start]) {
                    return self.on_firm(text, run_start, end, chain_end, Learn::ShortForms);
                }
            }
        }
        let target = Target::Entry(entry);
        self.push(start, chain_end, target, weak && chain_end == end);
        self.after_name(text, chain_end, target);
        chain_end
    }

    /// A legal suffix: the capitalised run before it names a firm ("Halvorsen Marine ASA").
    fn on_suffix(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        headline: &mut Option<bool>,
    ) -> usize {
        if all_caps_context(text, start, end) {
            return end;
        }
        if emphasised_as(text, start, end) {
            return end;
        }
        let chain_end = suffix_chain_end(text, end);
        let suffix = &text[start..end];
        if chain_end == end && is_generic_suffix(suffix) && name_word_follows(text, end) {
            return end; // "Payne Webber Group Securities Inc": the name goes on
        }
        // "young Fortinbras, Holding a weak supposal": a comma comes before an abbreviation
        // ("Acme, Inc."), not before a word such as "Holding" or "Group".
        if is_generic_suffix(suffix) && text[..start].ends_with(", ") {
            return end;
        }
        // "Blessington, Co. Wicklow": "Co." opens a county's name.
        if matches!(suffix, "Co." | "Co")
            && text[..start].ends_with(", ")
            && name_word_follows(text, end)
        {
            return end;
        }
        // "the Fourteen Island Group" (islands), "the Discussion Group", "the Hoxton Group of
        // Freedom" (societies): a firm's "Group" is a word of business talk.
        let talk = self.talks_markets || talks_business(text, &self.cues);
        if suffix == "Group" && !talk {
            return end;
        }
        let headline = is_headline(text, headline);
        let max_words = if headline {
            HEADLINE_RUN_WORDS
        } else {
            MAX_RUN_WORDS
        };
        match self.run_ending_at(text, start, true, max_words) {
            // "SURPRISE AS": a bare two-letter suffix needs a name not shouted in capitals.
            Some((run_start, _)) if shouted_short_suffix(suffix, &text[run_start..start]) => end,
            // "the Imperial Limited", "the Twentieth Century Limited": a train, where business
            // is not talked (a firm writes "Cassell & Company, Limited" or "Ltd.").
            Some((run_start, run_end))
                if suffix == "Limited"
                    && &text[run_end..start] == " "
                    && after_the(text, run_start)
                    && !talk =>
            {
                end
            }
            Some((run_start, run_end)) => {
                let learn = if named_after_people(&text[run_end..start]) {
                    Learn::Written
                } else if headline {
                    Learn::Name
                } else {
                    Learn::ShortForms
                };
                self.on_firm(text, run_start, run_end, chain_end, learn)
            }
            None => end,
        }
    }

    /// A firm named by `text[run_start..name_end]`: a gazetteer entry when the name resolves,
    /// else a firm of this article. Mentions found inside the run are taken back.
    fn on_firm(
        &mut self,
        text: &str,
        run_start: usize,
        name_end: usize,
        chain_end: usize,
        learn: Learn,
    ) -> usize {
        while self.found.last().is_some_and(|m| m.start >= run_start) {
            self.found.pop();
        }
        let name = firm_name(&text[run_start..name_end]);
        let gazetteer = self.tagger.gazetteer();
        let entry = gazetteer
            .resolve_index(&name)
            .or_else(|| without_generic_tail(&name).and_then(|n| gazetteer.resolve_strong(n)));
        let talk = self.talks_markets || talks_business(text, &self.cues);
        let target = match entry {
            Some(entry) => Target::Entry(entry),
            // "English Company", "our Pathan Company", "a Joint Stock Company", "the Frohman
            // Comedy Company", "C Company": a nationality, a unit of soldiers, a kind of
            // company, a troupe of players, a letter.
            None if (only_descriptors(&name)
                || is_troupe(&name)
                // "the Worshipful Dry-Salters Company": a livery company of the City, a guild.
                || name.starts_with("Worshipful ")
                // "Longmans, Green & Co.": a firm named after people is no kind.
                || (only_kind_of_company(&name) && learn != Learn::Written)
                || after_possessive_determiner(text, run_start)
                || is_possessive_determiner(&name))
                && !self.talks_markets =>
            {
                return chain_end
            }
            // "Zanesville, Muskingum Co., Ohio": one word and "Co." is a county where
            // business is not talked ("Murdock & Co." is a firm).
            None if !talk
                && is_county(&text[run_start..chain_end])
                && state_follows(text, chain_end) =>
            {
                return chain_end
            }
            None if name.chars().filter(|c| c.is_alphanumeric()).count() < 2 => return chain_end,
            None => Target::Firm(self.add_firm(&name, learn)),
        };
        if learn == Learn::Written {
            let written: Vec<&str> = text[run_start..chain_end].split_whitespace().collect();
            let written = written.join(" ");
            let spelled = written.replacen(" & ", " and ", 1);
            let joined = written.replacen(" and ", " & ", 1);
            for form in [written, spelled, joined] {
                self.add_alias(&form, target);
            }
        }
        self.push(run_start, chain_end, target, false);
        self.after_name(text, chain_end, target);
        chain_end
    }

    fn run_ending_at(
        &self,
        text: &str,
        end: usize,
        before_suffix: bool,
        max_words: usize,
    ) -> Option<(usize, usize)> {
        let ends_mention = |pos: usize| {
            self.found
                .iter()
                .chain(&self.from_aliases)
                .any(|m| m.end == pos)
        };
        let limits = RunLimits {
            before_suffix,
            max_words,
            ends_mention: &ends_mention,
        };
        run_before(text, end, &limits)
    }

    /// "(AMZN)" right after a name is a ticker; "(PWG)" defines an acronym for the article.
    fn after_name(&mut self, text: &str, end: usize, target: Target) {
        let at = skip_spaces(text, end);
        let Some(inner) = text[at..].strip_prefix('(') else {
            return;
        };
        let Some(close) = inner.find(')').filter(|&c| c <= 12) else {
            return;
        };
        if let Some((entry, len)) = self.tagger.ticker_at(inner, 0).filter(|t| t.1 == close) {
            self.push(at, at + len + 2, Target::Entry(entry), false);
        } else if is_acronym(&inner[..close]) {
            self.add_alias(&inner[..close], target);
        }
    }

    /// Names the sentence marks as companies (see `context.rs`), and ambiguous list names in a
    /// passage that talks business.
    fn apply_context(&mut self, text: &str) {
        let cues = std::mem::take(&mut self.cues);
        let mut named = false;
        let talk = self.talks_markets || talks_business(text, &cues);
        for cue in &cues {
            if let Some((start, end)) = self.name_at_cue(text, cue, talk) {
                self.on_context_name(text, start, end);
                named = true;
                if cue.side == Side::After && names_a_list(text, cue) && self.talks_markets {
                    self.rest_of_list(text, end);
                }
            }
        }
        if self.talks_markets {
            self.market_context_names(text);
            self.complete_lists(text);
        }
        let business = talk || named;
        self.exchange_and_base_names(text, &cues, business);
        // A cue word that names nothing ("the chain around the top of Olympus", "a bank of
        // cloud") is no sign of business talk.
        // A firm named with its legal suffix is business talk too ("Toyota Motor Corp. and
        // Tesla"); looked for only when nothing else said so.
        let suffixed = || {
            self.found.iter().any(|m| {
                let written = &text[m.start..m.end];
                strip_legal_suffix(written).len() < written.trim().len()
            })
        };
        if business || suffixed() {
            let gazetteer = self.tagger.gazetteer();
            for mention in &mut self.found {
                if mention.weak && gazetteer.is_ambiguous(&text[mention.start..mention.end]) {
                    mention.weak = false;
                }
            }
        }
        self.cues = cues;
    }

    /// Names the sentence around them marks as firms in a passage of an article that talks
    /// markets: an appositive, an analyst's employer, moving shares.
    fn market_context_names(&mut self, text: &str) {
        // An analyst's "firm" may also be a common word or a market ("City economists",
        // "Wall Street analysts").
        let ends = appositive_names(text)
            .into_iter()
            .chain(names_whose_shares_move(text))
            .map(|end| (end, false))
            .chain(analysts_firms(text).into_iter().map(|end| (end, true)))
            .filter_map(|(end, loose)| {
                Some((self.run_ending_at(text, end, false, MAX_RUN_WORDS)?, loose))
            });
        let employers = employers_of_quoted_people(text)
            .into_iter()
            .filter_map(|at| name_after(text, at, MAX_RUN_WORDS))
            .map(|run| (run, true));
        self.context_names(text, ends.chain(employers).collect());
    }

    /// Names marked as firms by a kind of exchange after them ("the Liffe derivatives
    /// exchange") and, in a passage that talks business, by a base before them
    /// ("Oxford-based Natural Motion").
    fn exchange_and_base_names(&mut self, text: &str, cues: &[Cue], business: bool) {
        let runs = cues
            .iter()
            .filter_map(|cue| match cue.side {
                Side::Exchange => Some((
                    self.run_ending_at(text, cue.start, false, MAX_RUN_WORDS)?,
                    true,
                )),
                // A base is a place, so the name after it may be made of common words
                // ("Natural Motion").
                Side::Base if business => Some((name_after(text, cue.end, MAX_RUN_WORDS)?, false)),
                _ => None,
            })
            .collect();
        self.context_names(text, runs);
    }

    /// Takes each name run as a firm unless it is a person's, a nationality or (for a `loose`
    /// rule, whose "firm" may also be a common word or a market) an ordinary word or a place
    /// where shares trade.
    fn context_names(&mut self, text: &str, runs: Vec<((usize, usize), bool)>) {
        for ((start, end), loose) in runs {
            let name = &text[start..end];
            // "Irish shares", "Mr Smith, the company's ...": not firms.
            let firm = !after_title(text, start)
                && !only_descriptors(name)
                && !(loose && (is_ordinary(name) || is_trading_place(name)));
            if firm {
                self.on_context_name(text, start, end);
            }
        }
    }

    /// The names that follow the one at `end` in a list ("Fitch, Moody's and Standard &
    /// Poor's"): each a company, as the plural cue before the first said.
    fn rest_of_list(&mut self, text: &str, end: usize) {
        for (start, end) in names_listed_after(text, end, MAX_LIST_NAMES) {
            self.on_context_name(text, start, end);
        }
    }

    /// The other names of a list that already names three companies or more ("licensed by
    /// Nokia, LG Electronics, Lenovo, Samsung, Sendo and Siemens"): in an article that talks
    /// markets only, as in other prose a list of two firms may go on with people or places.
    fn complete_lists(&mut self, text: &str) {
        let mut starts: Vec<(usize, usize)> = self.found.iter().map(|m| (m.start, m.end)).collect();
        starts.sort_unstable();
        let mut covered = 0;
        for (start, end) in starts {
            if start < covered {
                continue;
            }
            let rest = names_listed_after(text, end, MAX_COMPLETED_LIST_NAMES);
            covered = rest.last().map_or(end, |r| r.1);
            let known: Vec<Option<Target>> = rest
                .iter()
                .map(|&(s, _)| {
                    let strong = self.found.iter().find(|m| !m.weak && m.start == s);
                    strong.map(|m| m.target)
                })
                .collect();
            // Three known companies at least, the first included.
            if known.iter().flatten().count() < 2 {
                continue;
            }
            for (i, &(s, e)) in rest.iter().enumerate() {
                // "Lancashire and Yorkshire Railway Company": one firm whose name has an "and".
                let joined_to_firm = text[e..].starts_with(" and ")
                    && matches!(known.get(i + 1), Some(Some(Target::Firm(_))));
                let name = &text[s..e];
                if known[i].is_none()
                    && !joined_to_firm
                    && !after_title(text, s)
                    && !is_ordinary(name)
                    && !only_descriptors(name)
                    && !is_trading_place(name)
                {
                    self.on_context_name(text, s, e);
                }
            }
        }
    }

    /// The name a cue marks, as a byte range of `text`; `talk` says whether the passage (or
    /// its article) talks business.
    fn name_at_cue(&self, text: &str, cue: &Cue, talk: bool) -> Option<(usize, usize)> {
        match cue.side {
            // "could not firm Jove persuade", "the fifth brave company Sarpedon had": a lone
            // noun is an adjective or a band of people as often as a firm in prose that does
            // not talk business.
            Side::After if !talk && (is_lone_noun(text, cue) || is_workplace_cue(text, cue)) => {
                None
            }
            // Parts and lists of companies are read in articles that talk markets only:
            // in other prose "his left arm, Tom", "two cruel giants, Pope and Pagan".
            Side::After
                if !self.talks_markets
                    && (names_a_part(text, cue)
                        || (names_a_list(text, cue) && !is_plain_cue(text, cue))) =>
            {
                None
            }
            Side::After if after_cue_applies(text, cue) => {
                let (start, end) = name_after(text, cue.end, MAX_RUN_WORDS)?;
                let name = &text[start..end];
                let cue_word = text[cue.start..cue.end].trim_end();
                let place = (cue_word.ends_with(" in") || cue_word.ends_with(" at"))
                    && is_trading_place(name);
                // "shares of AMZN": tickers are left to the ticker rules.
                let ticker = self.tagger.gazetteer().ticker(name).is_some();
                (!place && !ticker).then_some((start, end))
            }
            // "Frank's profit", "Pip's debts": in prose that is not about business, people own
            // these too.
            Side::Possessive if self.talks_markets => {
                let mut next = text[cue.end..].split_whitespace();
                let noun = next.next()?.trim_end_matches([',', '.', ';', ':']);
                let ok = owned_by_company(noun)
                    && (noun != "chief"
                        || next
                            .next()
                            .is_some_and(|w| matches!(w, "executive" | "financial" | "operating")));
                if !ok {
                    return None;
                }
                let (start, end) = self.run_ending_at(text, cue.start, false, 4)?;
                (!after_title(text, start)).then_some((start, end))
            }
            Side::Head => {
                let head_start = cue.start + 1;
                let (start, _) = self.run_ending_at(text, head_start, false, 4)?;
                let name = &text[start..cue.end];
                let ordinary = is_ordinary(&text[start..head_start]);
                // "A. G. Steel", "Shrewsbury and A. G. Steel": initials and a surname are a
                // person.
                if ends_with_initial(&text[start..head_start]) {
                    return None;
                }
                let head = &text[head_start..cue.end];
                (head_name_applies(name, head)
                    && !after_title(text, start)
                    && (self.talks_markets || !ordinary)
                    && (talk || !needs_business_talk(head))
                    && (talk || !(matches!(head, "Bank" | "Banks") && speaks_of_the_sea(text)))
                    // "I will send you to Elm Bank": a town.
                    && !(named_after_place(name) && Town::OwnName.named_after(text, start))
                    // "Frontispiece Steel Engraving": the name goes on past the head
                    // ("Petrel Energy Chief Executive Ann Lee" names the firm's people).
                    && (!name_word_follows(text, cue.end)
                        || role_follows(text, cue.end)
                        || is_headline(text, &mut None))
                    && !inside_longer_title(text, start, cue.end))
                .then_some((start, cue.end))
            }
            // "Air Spirits", "The Air Voyage": in prose that does not talk business, titles
            // and fancies.
            Side::FirstWord if talk => {
                let (start, end) = name_after(text, cue.start, 3)?;
                let second = text[start..end].split_whitespace().nth(1)?;
                airline_applies(second).then_some((start, end))
            }
            Side::DotCom => {
                let word_start = text[..cue.start]
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '-'))
                    .map_or(0, |i| i + 1);
                let word = &text[word_start..cue.start];
                (word.len() >= 2 && word.starts_with(char::is_uppercase))
                    .then_some((word_start, cue.end))
            }
            Side::After
            | Side::Possessive
            | Side::FirstWord
            | Side::Business
            | Side::Market
            | Side::Exchange
            | Side::Base => None,
        }
    }

    /// A name the sentence marks as a company: a list entry (now strongly named) or a firm of
    /// this article. A name already found gains the evidence instead.
    fn on_context_name(&mut self, text: &str, start: usize, end: usize) {
        // A longer name takes back the mentions inside it ("Reliance Energy" over
        // "Reliance"); an equal or shorter one only lends them its evidence.
        let overlaps = |m: &Mention| m.start < end && start < m.end;
        let inside =
            |m: &Mention| start <= m.start && m.end <= end && m.end - m.start < end - start;
        let all_inside = self
            .found
            .iter()
            .chain(&self.from_aliases)
            .filter(|m| overlaps(m))
            .all(inside);
        if !all_inside {
            for mention in self.found.iter_mut().chain(self.from_aliases.iter_mut()) {
                if overlaps(mention) {
                    mention.weak = false;
                }
            }
            return;
        }
        self.found.retain(|m| !overlaps(m));
        self.from_aliases.retain(|m| !overlaps(m));
        let name = firm_name(&text[start..end]);
        if name.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            return;
        }
        let known_here = self.aliases.iter().find(|a| a.written == name);
        let target = match (known_here, self.tagger.gazetteer().resolve_index(&name)) {
            (Some(alias), _) => alias.target,
            (None, Some(entry)) => Target::Entry(entry),
            (None, None) => Target::Firm(self.add_firm(&name, Learn::ShortForms)),
        };
        self.push(start, end, target, false);
    }

    fn push(&mut self, start: usize, end: usize, target: Target, weak: bool) {
        self.found.push(Mention {
            start,
            end,
            target,
            weak,
        });
    }

    /// Article-alias mentions count where no gazetteer or suffix-rule mention already does.
    fn merge_alias_mentions(&mut self) {
        for i in 0..self.from_aliases.len() {
            let m = self.from_aliases[i];
            let overlaps_found = self
                .found
                .iter()
                .any(|f| f.start < m.end && m.start < f.end);
            // "Halvorsen" inside "Halvorsen Marine": the longer alias speaks.
            let inside_longer = self
                .from_aliases
                .iter()
                .any(|o| o.start <= m.start && m.end <= o.end && o.end - o.start > m.end - m.start);
            if !overlaps_found && !inside_longer {
                self.found.push(m);
            }
        }
    }

    fn learn_strong_mentions(&mut self) {
        let strong: Vec<u32> = self
            .found
            .iter()
            .filter_map(|m| match m.target {
                Target::Entry(e) if !m.weak && !self.strong.contains(&e) => Some(e),
                _ => None,
            })
            .collect();
        for entry in strong {
            self.mark_strong(entry);
        }
    }

    /// "S&P" after "Standard & Poor's", "P&G" after "Procter & Gamble": news shortens a
    /// name of two joined words to their initials.
    fn learn_ampersand_initials(&mut self, text: &str) {
        let named: Vec<(String, Target)> = self
            .found
            .iter()
            .filter(|m| !m.weak)
            .filter_map(|m| Some((ampersand_initials(&text[m.start..m.end])?, m.target)))
            .collect();
        for (form, target) in named {
            let taken = self
                .tagger
                .gazetteer()
                .resolve_index(&form)
                .is_some_and(|e| Target::Entry(e) != target);
            if !taken {
                self.add_alias(&form, target);
            }
        }
    }

    fn paths(&self) -> Vec<CompanyPath> {
        let gazetteer = self.tagger.gazetteer();
        let mut paths: Vec<CompanyPath> = self
            .found
            .iter()
            .filter_map(|m| match m.target {
                Target::Entry(e) => {
                    (!m.weak || self.strong.contains(&e)).then(|| gazetteer.path(e).clone())
                }
                Target::Firm(f) => Some(CompanyPath::new([self.firms[f as usize].clone()])),
            })
            .collect();
        paths.sort();
        paths.dedup();
        paths
    }
}

/// The names that follow the one ending at `end` in a list ("Fitch, Moody's and Standard &
/// Poor's"), at most `max`; a possessive ends the list ("Fitch and Moody's ratings").
fn names_listed_after(text: &str, mut end: usize, max: usize) -> Vec<(usize, usize)> {
    let mut names = Vec::new();
    while names.len() < max && !text[end..].starts_with(['\'', '’']) {
        let rest = &text[end..];
        let Some(separator) = [", and ", " and ", ", ", " & "]
            .into_iter()
            .find(|s| rest.starts_with(s))
        else {
            break;
        };
        let Some(name) = name_after(text, end + separator.len(), MAX_RUN_WORDS) else {
            break;
        };
        names.push(name);
        end = name.1;
    }
    names
}

/// "our Pathan Company", "his Company": a possessive determiner before a name ending in a
/// suffix makes it a body of people, not a firm.
fn after_possessive_determiner(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
    is_possessive_determiner(word)
}

/// Does a role in a firm follow `end` ("Petrel Energy Chief Executive", "Calder Airways CEO")?
fn role_follows(text: &str, end: usize) -> bool {
    let word = text[end..].split_whitespace().next().unwrap_or("");
    let word = word.trim_end_matches(|c: char| !c.is_alphanumeric());
    matches!(
        word,
        "Chief"
            | "CEO"
            | "CFO"
            | "Chairman"
            | "Chairwoman"
            | "President"
            | "Director"
            | "Managing"
            | "Executive"
            | "Spokesman"
            | "Spokeswoman"
            | "Founder"
            | "Boss"
    )
}

/// Do `words` end in an initial ("A. G.", "Shrewsbury and A. G.")?
fn ends_with_initial(words: &str) -> bool {
    words.split_whitespace().next_back().is_some_and(|w| {
        let mut chars = w.chars();
        matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
    })
}

/// "our", "Your" ("Your friends. Your Group," is no firm called "Your").
fn is_possessive_determiner(word: &str) -> bool {
    matches!(
        word,
        "our"
            | "his"
            | "her"
            | "their"
            | "my"
            | "your"
            | "Our"
            | "His"
            | "Her"
            | "Their"
            | "My"
            | "Your"
            | "Its"
    )
}

/// Does "the" stand right before `start`?
fn after_the(text: &str, start: usize) -> bool {
    let word = text[..start].trim_end().rsplit(char::is_whitespace).next();
    matches!(word, Some("the" | "The"))
}

/// Is `between` (what stands between a firm's name and its suffix) an "&" or "and": a firm
/// named after people ("Malvin & Co.", "Methuen and Co.", "Longmans, Green, & Co.")?
fn named_after_people(between: &str) -> bool {
    let between = between.trim();
    let between = between.strip_prefix(',').unwrap_or(between).trim_start();
    matches!(between, "&" | "and")
}

/// Does ", " and a US state follow `end` ("Pike Co., Missouri")? New York is left out: firms
/// give it as their city ("Funk and Wagnalls Co., New York").
fn state_follows(text: &str, end: usize) -> bool {
    let Some(rest) = text[end..].strip_prefix(", ") else {
        return false;
    };
    let word = rest
        .split(|c: char| !c.is_alphabetic() && c != ' ')
        .next()
        .unwrap_or("");
    US_STATES.iter().any(|state| {
        word.starts_with(state) && word[state.len()..].chars().next().is_none_or(|c| c == ' ')
    })
}

/// The US states whose names follow a county ("Muskingum Co., Ohio"), New York aside.
#[rustfmt::skip]
const US_STATES: &[&str] = &[
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
    "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
    "New Mexico", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
    "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
    "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
];

/// Is `written` one word and "Co." ("Pike Co.", "Middlesex Co"): how a county is written.
fn is_county(written: &str) -> bool {
    let Some((name, suffix)) = written.split_once(' ') else {
        return false;
    };
    matches!(suffix, "Co." | "Co") && name.chars().all(char::is_alphabetic)
}

/// Where names followed by an appositive that calls them a company end: "Group Menatep, the
/// Gibraltar-based holding company, ...", "Allied Irish Banks, Ireland's biggest company" (a
/// determiner or possessive, at most four words, then a company noun ending the phrase).
fn appositive_names(text: &str) -> Vec<usize> {
    const MAX_WORDS: usize = 4;
    let mut ends = Vec::new();
    for (comma, _) in text.match_indices(", ") {
        let after = &text[comma + 2..];
        let possessive = after
            .split_once(' ')
            .filter(|(word, _)| {
                word.starts_with(char::is_uppercase)
                    && (word.ends_with("'s") || word.ends_with("’s"))
            })
            .map(|(_, rest)| rest);
        let Some(phrase) = ["the ", "a ", "an "]
            .into_iter()
            .find_map(|det| after.strip_prefix(det))
            .or(possessive)
        else {
            continue;
        };
        let words: Vec<&str> = phrase.split(' ').take(MAX_WORDS + 2).collect();
        // The noun ends the phrase: punctuation after it, or a word that is not a name.
        let ends_in_noun = words
            .iter()
            .enumerate()
            .take(MAX_WORDS + 1)
            .any(|(i, word)| {
                let noun = word.trim_end_matches([',', '.', ';']);
                COMPANY_NOUNS.contains(noun)
                    && (noun.len() < word.len()
                        || words.get(i + 1).is_some_and(|next| {
                            let next = next.trim_end_matches([',', '.', ';', ':']);
                            next.starts_with(char::is_lowercase) && !CLAUSE_VERBS.contains(&next)
                        }))
            });
        if ends_in_noun {
            ends.push(comma);
        }
    }
    ends
}

/// Where the names of quoted people's employers start: "said Mark Miller, at HBOS Treasury
/// Services", "\"...,\" Emmanuel Ferry, from Exane BNP Paribas told Reuters". The person is
/// two or three capitalised words after "said" or a closing quote.
fn employers_of_quoted_people(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    for joint in [", at ", ", of ", ", from "] {
        for (at, _) in text.match_indices(joint) {
            let mut words = text[..at].rsplit(' ');
            let person: Vec<&str> = words
                .by_ref()
                .take_while(|w| is_given_or_family_name(w))
                .collect();
            if !(2..=3).contains(&person.len()) {
                continue;
            }
            let before = text[..at].rsplit(' ').nth(person.len()).unwrap_or("");
            if before == "said" || before.ends_with(",\"") || before.ends_with(",”") {
                starts.push(at + joint.len());
            }
        }
    }
    starts
}

/// "Mark", "Miller", "McGuire": a capital, then lower-case letters (one more capital after
/// "Mc" or "O'").
fn is_given_or_family_name(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().count() >= 2
        && chars.all(|c| c.is_alphabetic() || c == '\'' || c == '-')
        && word.chars().skip(1).filter(|c| c.is_uppercase()).count() <= 1
}

/// Where the names of market analysts' firms end: "Credit Suisse First Boston analyst Vadim
/// Mitroshin".
fn analysts_firms(text: &str) -> Vec<usize> {
    [" analyst ", " analysts ", " economist ", " strategist "]
        .into_iter()
        .flat_map(|role| text.match_indices(role).map(|(at, _)| at))
        .collect()
}

/// Where names whose shares move end: "Bank of Ireland shares rose".
fn names_whose_shares_move(text: &str) -> Vec<usize> {
    text.match_indices(" shares ")
        .filter(|&(at, _)| {
            let verb = text[at + 8..].split([' ', ',', '.']).next().unwrap_or("");
            SHARE_MOVES.contains(&verb)
        })
        .map(|(at, _)| at)
        .collect()
}

/// Verbs after "X, the Danish drugmaker": then the phrase is the subject of a new clause
/// ("in the United States, the Danish drugmaker said"), not an appositive of X.
#[rustfmt::skip]
const CLAUSE_VERBS: &[&str] = &[
    "said", "says", "told", "added", "announced", "reported", "warned", "confirmed", "is", "was",
    "has", "had", "will", "would", "expects", "plans", "hopes", "believes", "could", "may",
];

/// What shares do after a company's name ("Bank of Ireland shares rose").
#[rustfmt::skip]
const SHARE_MOVES: &[&str] = &[
    "rose", "fell", "jumped", "slipped", "slumped", "gained", "dropped", "climbed", "surged",
    "soared", "plunged", "tumbled", "closed", "ended", "edged", "lost", "added", "were", "have",
];

/// The most names read after the first of a list ("giants A, B, C and D").
const MAX_LIST_NAMES: usize = 4;

/// The most names read after a known company in a list that may name more.
const MAX_COMPLETED_LIST_NAMES: usize = 8;

/// Personal titles and forms of address: the name after one is a person's.
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Doctor", "Sir", "Dame", "Lord",
    "Lady", "Miss", "Madam", "Madame", "Mme", "Mme.", "Mlle", "Mlle.", "Monsieur", "Herr",
    "Frau", "Signor", "Signora", "Señor", "Señora", "Professor", "Prof", "Prof.", "Rev",
    "Rev.", "Reverend", "Father", "Uncle", "Aunt", "Saint", "President", "Senator", "Governor",
    "Judge", "General", "Colonel", "Col.", "Major", "Captain", "Capt.", "Lieutenant", "Lieut.",
    "Sergeant", "Admiral", "King", "Queen", "Prince", "Princess", "Duke", "Duchess", "Count",
    "Countess", "Baron", "Baroness", "Emperor", "Empress",
];

/// Is the word before `start` a personal title, or the name's own first word one ("Mr
/// Gammell's stake", "King Fisher"): a person, not a firm?
fn after_title(text: &str, start: usize) -> bool {
    title_before(text, start)
        || text[start..]
            .split_whitespace()
            .next()
            .is_some_and(|w| TITLES.contains(&w))
}

fn title_before(text: &str, start: usize) -> bool {
    // "Father _White_": emphasis marks are not words.
    let before = text[..start].trim_end_matches(['_', '*']).trim_end();
    let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
    TITLES.contains(&word)
}

/// Does the name at `start` follow a title, directly or after one given name ("Doctor
/// Coles", "Sir Hudson Lowe's", "Mr. John Fairchild")? Such a mention is a person's, whatever
/// list has the name.
fn names_a_person(text: &str, start: usize) -> bool {
    if title_before(text, start) || title_and_particle_before(text, start) {
        return true;
    }
    // A given name, separated from the name by a space.
    if !text[..start].ends_with(char::is_whitespace) {
        return false;
    }
    let Some((given_start, given_end)) = token_before(text, start) else {
        return false;
    };
    let given = &text[given_start..given_end];
    given.chars().count() > 1
        && given.chars().next().is_some_and(char::is_uppercase)
        && given.chars().skip(1).all(char::is_lowercase)
        && title_before(text, given_start)
}

/// "M. de Saint Laurent", "Baron von Bülow": a title (or "M.", Monsieur) and a particle
/// before the name.
fn title_and_particle_before(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    let mut words = before.rsplit(char::is_whitespace);
    let particle = words.next().unwrap_or("");
    let title = words.next().unwrap_or("");
    matches!(
        particle,
        "de" | "du" | "von" | "van" | "der" | "di" | "da" | "del" | "della" | "le" | "la"
    ) && (title == "M." || TITLES.contains(&title))
}

/// "CA" for "Calder Airways": the capitals of a name of two to five capitalised words.
fn initials(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().filter(|w| *w != "&").collect();
    if !(2..=5).contains(&words.len()) || !words.iter().all(|w| w.starts_with(char::is_uppercase)) {
        return None;
    }
    Some(words.iter().filter_map(|w| w.chars().next()).collect())
}

/// "S&P" for "Standard & Poor's": two capitalised words joined by an ampersand.
fn ampersand_initials(name: &str) -> Option<String> {
    let (left, right) = name.split_once(" & ")?;
    let first = |w: &str| w.chars().next().filter(char::is_ascii_uppercase);
    let one_word = |w: &str| !w.contains(' ') && w.chars().count() >= 2;
    (one_word(left) && one_word(right)).then_some(())?;
    Some(format!("{}&{}", first(left)?, first(right)?))
}

/// "NaturalMotion" for "Natural Motion": two or three capitalised words written solid.
fn solid_spelling(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let ok = (2..=3).contains(&words.len())
        && words
            .iter()
            .all(|w| w.starts_with(char::is_uppercase) && w.chars().all(char::is_alphanumeric));
    ok.then(|| words.concat())
}

/// "PWG", "AWS", "H&M": what an article may define in parentheses after a name.
fn is_acronym(token: &str) -> bool {
    let letters = token.chars().filter(char::is_ascii_uppercase).count();
    (2..=6).contains(&token.len())
        && token.starts_with(|c: char| c.is_ascii_uppercase())
        && letters >= 2
        && token
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '&')
}

fn shouted_short_suffix(suffix: &str, name: &str) -> bool {
    suffix.len() == 2 && is_all_caps(suffix) && !has_lower(name)
}

/// Is the suffix at `start..end` the word "as" shouted for emphasis ("Original AS a nation I
/// can't bear 'em")? A firm's "AS" is followed by what the firm did ("Halvorsen AS said").
fn emphasised_as(text: &str, start: usize, end: usize) -> bool {
    let next = text[end..].split_whitespace().next().unwrap_or("");
    &text[start..end] == "AS"
        && matches!(
            next,
            "a" | "an"
                | "the"
                | "it"
                | "he"
                | "she"
                | "they"
                | "we"
                | "you"
                | "I"
                | "if"
                | "to"
                | "much"
                | "well"
                | "long"
                | "soon"
                | "far"
                | "such"
                | "though"
                | "usual"
        )
}

fn name_word_follows(text: &str, end: usize) -> bool {
    let at = skip_spaces(text, end);
    if at == end {
        return false;
    }
    let word = text[at..].split_whitespace().next().unwrap_or("");
    is_name_word(word.trim_end_matches(|c: char| !c.is_alphanumeric()))
}

/// Is the passage a Title Case Headline ("Payne Webber Buys Halvorsen Marine ASA")? Computed
/// at most once per passage, and only when a rule needs it.
fn is_headline(text: &str, cache: &mut Option<bool>) -> bool {
    *cache.get_or_insert_with(|| {
        #[rustfmt::skip]
        const SMALL: &[&str] = &[
            "a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with", "as",
            "from", "vs", "via", "over", "into",
        ];
        let mut lettered = 0;
        for word in text.split_whitespace() {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            if !word.starts_with(char::is_alphabetic) {
                continue;
            }
            if word.starts_with(char::is_lowercase) && !SMALL.contains(&word) {
                return false;
            }
            lettered += 1;
        }
        lettered >= 3
    })
}

#[cfg(test)]
mod tests {
    use super::super::Gazetteer;
    use super::*;

    fn tagger() -> Tagger {
        crate::testing::test_tagger()
    }

    /// Tags `passages` in order with one article tagger; paths rendered as "A/B".
    fn tag_all(declared: &[&str], passages: &[&str]) -> Vec<Vec<String>> {
        let tagger = tagger();
        let declared: Vec<String> = declared.iter().map(|s| s.to_string()).collect();
        let mut article = tagger.article(&declared);
        passages
            .iter()
            .map(|p| article.tag(p).iter().map(ToString::to_string).collect())
            .collect()
    }

    fn tag_one(text: &str) -> Vec<String> {
        tag_all(&[], &[text]).remove(0)
    }

    #[test]
    fn tagger_is_shareable() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Tagger>();
    }

    #[test]
    fn possessives_and_sentence_starts() {
        assert_eq!(
            tag_one("Amazon's cloud arm and Apple’s phones."),
            ["Amazon", "Apple"]
        );
        assert_eq!(tag_one("Apple said on Monday it would invest."), ["Apple"]);
    }

    #[test]
    fn ordinary_words_do_not_match() {
        assert!(tag_one("Boats on the Amazon river and apple orchards nearby.").is_empty());
        assert!(tag_one("An apple a day; the Amazonian basin; Appleton, Wisconsin.").is_empty());
        assert!(tag_one("Shares of APPLE rose.").is_empty());
        assert!(tag_one("They met at the Amazon Hotel in Lisbon.").is_empty());
        assert!(tag_one("A GLAD CRY OF SURPRISE AS TOM ENTERED [Page 247.]").is_empty());
    }

    #[test]
    fn all_caps_headlines_match() {
        assert_eq!(tag_one("AMAZON BETS ON ANTHROPIC"), ["Amazon", "Anthropic"]);
        assert!(tag_one("BOATS ON THE AMAZON RIVER").is_empty());
    }

    #[test]
    fn subsidiaries_keep_their_own_path() {
        let tags = tag_all(
            &[],
            &["Amazon Web Services (AWS) grew.", "AWS margins rose."],
        );
        assert_eq!(tags, [vec!["Amazon/AWS"], vec!["Amazon/AWS"]]);
    }

    /// Tags one passage with the built-in list (its data-flagged ambiguous names included).
    fn builtin_tags(text: &str) -> Vec<String> {
        let tagger = Tagger::new(Gazetteer::builtin());
        let mut article = tagger.article(&[]);
        article.tag(text).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_cue_word_that_names_nothing_is_no_business_talk() {
        // "chain" is a cue ("grocery chain Kroger"), but here it names nothing.
        let myth = "Then would I bind the chain around the top of Olympus, and all should hang.";
        assert!(builtin_tags(myth).is_empty());
        let firm = "Olympus said its chief executive would step down.";
        assert_eq!(builtin_tags(firm), ["Olympus"]);
    }

    #[test]
    fn peoples_names_and_phrases_of_common_words_need_evidence() {
        for text in [
            "The captain called Halliburton and Ferrero onto the field.",
            "They camped at Lowe’s Harbour for a week.",
            "The regiment marched behind the Red Bull on its green flag.",
        ] {
            assert!(builtin_tags(text).is_empty(), "{text}");
        }
        assert_eq!(
            builtin_tags("Halliburton said revenue rose 4%."),
            ["Halliburton"]
        );
    }

    #[test]
    fn capitalised_market_words_inside_a_sentence_are_names() {
        let notes = "Scanned by the Internet Archive and the Online Books Team.";
        let tags = builtin_article(&[notes, "He read the Iliad aloud."]);
        assert!(tags.iter().all(Vec::is_empty), "{tags:?}");
        let talk = "Analysts expect more. Investors agree.";
        let tags = builtin_article(&[talk, "He read the Iliad aloud."]);
        assert_eq!(tags[1], ["Iliad"]);
    }

    #[test]
    fn banks_of_the_sea_islands_counties_and_kinds_of_company_are_no_firms() {
        for text in [
            "The ship sailed over the Great Marlow Bank in ten fathoms of water.",
            "He was born in Dayton, Tuscarawas Co., Ohio, in 1850.",
            "They floated the scheme as a Joint Stock Company.",
            "The Railway Company would not carry the goods.",
            "He lived at Marlow Bank with his aunt.",
            "They drove out to Kilbride, Co. Wicklow, for the summer.",
            "Your friends. Your Group, the Staff said.",
            "He drives the ball as A. G. Steel does.",
            "An English Company of merchants sailed for the East.",
            "The Discussion Group met on Fridays.",
            "The First Company marched at dawn behind the Artillery Company.",
            "The White Company rode south to the war.",
            "He stepped down from the Twentieth Century Limited at noon.",
            "The Stoddart Comedy Company played the town for a week.",
            "Original AS a nation I can't bear them.",
            "He dined with the Worshipful Dry-Salters Company.",
            "The fund is a mutual Assurance Company against sickness.",
            "They marooned him to the south of the Mangrove Bank.",
            "The ship struck a reef in the Tallow Island Group at night.",
        ] {
            assert!(tag_one(text).is_empty(), "{text}");
        }
        assert_eq!(tag_one("Marlow Bank lent him money."), ["Marlow Bank"]);
        assert_eq!(
            tag_one("Tramwell Group said its profit rose 5%."),
            ["Tramwell"]
        );
        assert_eq!(tag_one("The Tuscarawas Co. paid its men."), ["Tuscarawas"]);
    }

    #[test]
    fn a_firm_named_after_people_is_no_mention_of_them() {
        let tags = tag_all(
            &[],
            &[
                "Letters came from Pellworth & Co. today.",
                "Pellworth laughed at the clerk.",
                "PELLWORTH & CO. paid him, and Pellworth and Co. wrote again.",
            ],
        );
        assert_eq!(tags, [vec!["Pellworth"], vec![], vec!["Pellworth"]]);
    }

    #[test]
    fn one_word_of_markets_is_no_business_talk_but_a_figure_is() {
        let prose = "'Those are yours, Fortescue,' he said; the postal revenue grew.";
        assert!(builtin_tags(prose).is_empty());
        let news = "Fortescue said output rose 5% in the quarter.";
        assert_eq!(builtin_tags(news), ["Fortescue"]);
    }

    #[test]
    fn a_generic_suffix_after_a_comma_and_a_head_before_a_name_word_end_no_firm() {
        for text in [
            "Then came young Tramwell, Holding a sword aloft.",
            "Illustrated with Frontispiece Steel Engraving and woodcuts.",
        ] {
            assert!(tag_one(text).is_empty(), "{text}");
        }
        assert_eq!(tag_one("Tramwell Holding bought it."), ["Tramwell"]);
        assert_eq!(tag_one("Harwick Steel cut jobs."), ["Harwick Steel"]);
        assert_eq!(
            tag_one("Harwick Steel Chief Executive Ann Lee left."),
            ["Harwick Steel"]
        );
    }

    #[test]
    fn the_town_a_bank_is_named_after_is_no_firm() {
        let tags = tag_all(
            &[],
            &[
                "Marlow Bank lent him money.",
                "No one in Marlow knew him.",
                "Marlow refused the loan.",
            ],
        );
        assert_eq!(tags, [vec!["Marlow Bank"], vec![], vec!["Marlow Bank"]]);
        let tags = tag_all(
            &[],
            &[
                "Quarnby Research Ltd. sold data.",
                "Analysts at Quarnby expect more.",
            ],
        );
        assert_eq!(tags, [vec!["Quarnby Research"], vec!["Quarnby Research"]]);
        let tags = tag_all(
            &[],
            &[
                "The Quarnby Company bought furs.",
                "They paddled up the Quarnby, slowly.",
            ],
        );
        assert_eq!(tags, [vec!["Quarnby"], vec![]]);
        let tags = tag_all(
            &[],
            &[
                "The Sulphur Company dug at Guirsah.",
                "SULPHUR IN THE HILLS.",
            ],
        );
        assert_eq!(tags, [vec!["Sulphur"], vec![]]);
    }

    #[test]
    fn a_name_after_a_personal_title_is_a_person() {
        // A no-break space before a name (found by the property test).
        assert_eq!(
            builtin_tags("\u{a0} Nestlé said its chief executive would go."),
            ["Nestlé"]
        );
        for text in [
            "It was but to say that Mr. Hilton was in town.",
            "As if it had been in Sir Hudson Lowe's power to give him liberty.",
            "Doctor Coles looked at the patient sadly.",
            "I parted with Father _Hilton_ at the gate.",
            "He dined with M. de Hilton, the receiver-general.",
            "SAP, ascent of the.",
        ] {
            assert!(builtin_tags(text).is_empty(), "{text}");
        }
        assert_eq!(
            builtin_tags("Hilton said revenue per room rose 4%."),
            ["Hilton"]
        );
    }

    #[test]
    fn a_firm_with_its_suffix_or_the_company_said_is_evidence_for_flagged_names() {
        let paired = "Toyota Motor Corp. and Tesla have both said they will buy more cells.";
        assert!(builtin_tags(paired).contains(&"Tesla".to_string()));
        let said = "Amazon will offer same-day delivery of groceries, the company said.";
        assert_eq!(builtin_tags(said), ["Amazon"]);
        assert!(builtin_tags("They sailed up the Amazon for a week.").is_empty());
    }

    /// Tags passages in order with the built-in list.
    fn builtin_article(passages: &[&str]) -> Vec<Vec<String>> {
        let tagger = Tagger::new(Gazetteer::builtin());
        let mut article = tagger.article(&[]).reading(&passages.join("\n\n"));
        passages
            .iter()
            .map(|p| article.tag(p).iter().map(ToString::to_string).collect())
            .collect()
    }

    /// Market talk first, so that the market-only rules apply.
    const MARKETS: &str = "Shares fell 3% and analysts cut their forecasts.";

    #[test]
    fn lists_parts_and_appositives_name_firms_in_market_articles() {
        let tags = builtin_article(&[
            MARKETS,
            "The two other ratings agencies - Kestrel and Quillon - raised Russia's rating.",
            "It sold Zarnov's main production arm, Yelgansk, to a state-run group.",
            "Group Menavia, the Gibraltar-based holding company which controls 51% of Zarnov, \
             says it will sue.",
            "Prices rose in the United States, the Danish drugmaker said.",
        ]);
        assert_eq!(tags[1], ["Kestrel", "Quillon"]);
        let including = builtin_article(&[
            MARKETS,
            "Major companies including Volkwerk, Daimstar and Siemens cut jobs.",
        ]);
        assert_eq!(including[1], ["Daimstar", "Siemens", "Volkwerk"]);
        assert_eq!(tags[2], ["Yelgansk"]);
        assert_eq!(tags[3], ["Group Menavia"]);
        assert!(tags[4].is_empty(), "{:?}", tags[4]);
    }

    #[test]
    fn moving_shares_possessive_appositives_and_leading_group_words() {
        let tags = builtin_article(&[
            MARKETS,
            "Harbour Mutual Banks, Ireland's biggest company by value, touched a peak while \
             Bank of Tralee shares rose to a high.",
            "Irish shares have risen to a record.",
            "Group Menavia, the Gibraltar-based holding company, says it will sue.",
            "Menavia said the value of its stake had gone.",
        ]);
        assert_eq!(tags[1], ["Bank of Tralee", "Harbour Mutual Banks"]);
        assert!(tags[2].is_empty(), "{:?}", tags[2]);
        assert_eq!(tags[3], ["Group Menavia"]);
        assert_eq!(
            tags[4],
            ["Group Menavia"],
            "the name without its leading group word"
        );
        let analysts = builtin_article(&[
            MARKETS,
            "The risks are real, said Quorvale First Boston analyst Vadim Petrov; Wall Street \
             analysts and City economists agreed.",
        ]);
        assert_eq!(analysts[1], ["Quorvale First Boston"]);
    }

    #[test]
    fn exchanges_bases_dashes_start_ups_and_quoted_peoples_employers() {
        let tags = builtin_article(&[
            "Rates rose 2% as the $27bn sale of its key unit, Vorkanneft, went ahead.",
            "The club is listed on the smaller Plexo share exchange; we already own Plexo.",
            "The company's rival is Manchester start-up Genvora. Cardiff-based Tidal Forge \
             launched a tool.",
            "It emerged that a 50% owned subsidiary company - Lumetra - employed her.",
            "\"Prices are easing,\" said Mark Tiller, at Harwent Treasury Services. \"Yes,\" \
             Jean Ferrand, from Octane Exane told Reuters.",
            "The Karachi stock exchange fell, said Anna Lee, of London.",
        ]);
        assert_eq!(
            tags[0],
            ["Vorkanneft"],
            "\"bn\" right after a number is market talk"
        );
        assert_eq!(tags[1], ["Plexo"]);
        assert_eq!(tags[2], ["Genvora", "Tidal Forge"]);
        assert_eq!(tags[3], ["Lumetra"]);
        assert_eq!(
            tags[4],
            [
                "Harwent Treasury Services",
                "Octane Exane",
                "Thomson Reuters/Reuters"
            ]
        );
        assert!(tags[5].is_empty(), "{:?}", tags[5]);
    }

    #[test]
    fn lists_that_name_three_companies_name_the_rest() {
        let tags = builtin_article(&[
            MARKETS,
            "It is licensed by Nokia, Lenovo, Samsung, Qorvix and Siemens.",
            "It is licensed by Nokia, Samsung and Qandor.",
            "Trains of the Midland Railway Company, Lancashire and Yorkshire Railway Company and \
             Great Eastern Railway Company stop here.",
        ]);
        assert_eq!(tags[1], ["Lenovo", "Nokia", "Qorvix", "Samsung", "Siemens"]);
        assert_eq!(
            tags[2],
            ["Nokia", "Samsung"],
            "two known names make no list to complete"
        );
        assert!(!tags[3].iter().any(|t| t == "Lancashire"), "{:?}", tags[3]);
    }

    #[test]
    fn ampersand_names_are_spelled_out_and_shortened() {
        let tags = builtin_article(&[
            MARKETS,
            "Standard & Poor's raised the rating; later S&P said more.",
            "Growth could ignite, added Ernst and Young's Sanjay Mehta.",
            "The letters H and M were on the paper.",
        ]);
        assert_eq!(tags[1], ["S&P Global"]);
        assert_eq!(tags[2], ["Ernst & Young"]);
        assert!(tags[3].is_empty(), "{:?}", tags[3]);
    }

    #[test]
    fn a_firm_met_by_its_short_name_keeps_its_full_name() {
        let tags = builtin_article(&[
            "Bank backs payments start-up Ledgerwise",
            "Ledgerwise Technologies Inc. said it raised money.",
            "Ledgerwise sells software.",
        ]);
        assert_eq!(tags[0], ["Ledgerwise"]);
        assert_eq!(tags[1], ["Ledgerwise Technologies"]);
        assert_eq!(tags[2], ["Ledgerwise Technologies"]);
    }

    #[test]
    fn a_lone_noun_or_a_workplace_names_a_firm_only_where_business_is_talked() {
        let prose = builtin_article(&[
            "All this could not firm Jove persuade.",
            "The fifth brave company Sarpedon had to charge.",
            "He set up as a trader at Quarnby, on the coast.",
        ]);
        assert!(prose.iter().all(Vec::is_empty), "{prose:?}");
        let talk = builtin_article(&["Shares fell 3%, said Ann Lee, a trader at Quarnby."]);
        assert_eq!(talk[0], ["Quarnby"]);
        // Read ahead: the first line names the firm, the third gives the market figures.
        let news = builtin_article(&[
            "Russian oil company Zelenka is due in court.",
            "Its lawyers spoke.",
            "It owes $27bn, and 3% of its shares changed hands.",
        ]);
        assert_eq!(news[0], ["Zelenka"]);
        assert_eq!(news[1], Vec::<String>::new());
    }

    #[test]
    fn heads_of_products_fields_and_titles_need_business_talk() {
        let prose = builtin_article(&[
            "She used Rowlands' Quassar Oil on her hair.",
            "I had joined the Psychical Research Society that year.",
            "He wrote for the Society for Comparative Research.",
            "The Air Spirits danced.",
        ]);
        assert!(prose.iter().all(Vec::is_empty), "{prose:?}");
        let news = builtin_article(&[
            "Petrel Oil shares rose 3% and analysts cheered.",
            "The Air Jamaica chief executive spoke.",
        ]);
        assert_eq!(news[0], ["Petrel Oil"]);
        assert_eq!(news[1], ["Air Jamaica"]);
    }

    #[test]
    fn one_stray_market_word_is_no_market_talk() {
        let tagger = Tagger::new(Gazetteer::builtin());
        let one = "He sold 5% of the farm.\n\nOlympus rose above them.";
        let mut article = tagger.article(&[]).reading(one);
        article.tag("He sold 5% of the farm.");
        assert!(
            article.tag("Olympus rose above them.").is_empty(),
            "Olympus is a mountain here"
        );
        let chapter = format!(
            "{} Investors came; analysts too.",
            "Olympus was high. ".repeat(1500)
        );
        let mut article = tagger.article(&[]).reading(&chapter);
        assert!(
            article.tag("Olympus rose above them.").is_empty(),
            "two market words in a chapter of 27,000 bytes are not market talk"
        );
    }

    #[test]
    fn lists_parts_and_appositives_are_not_read_in_other_prose() {
        let tags = builtin_article(&[
            "There dwelt two cruel giants, Pope and Pagan, in a cavern.",
            "She took his left arm, Tom said nothing.",
            "He met Harwood, the old company of players, at the inn.",
        ]);
        assert!(tags.iter().all(Vec::is_empty), "{tags:?}");
    }

    #[test]
    fn weak_aliases_need_a_strong_mention() {
        let tags = tag_all(
            &[],
            &["Meta rose.", "Meta Platforms Inc. said.", "Meta fell."],
        );
        assert_eq!(tags, [vec![], vec!["Meta"], vec!["Meta"]]);
        assert_eq!(tag_all(&["Meta"], &["Meta fell."]), [vec!["Meta"]]);
        assert_eq!(
            tag_all(&[], &["Instagram grew.", "Meta fell."])[1],
            ["Meta"]
        );
        assert_eq!(tag_one("Block Inc. and a block of shares"), ["Block"]);
        assert!(tag_one("Our target is a meta-analysis.").is_empty());
    }

    #[test]
    fn tickers_only_in_ticker_context() {
        assert_eq!(tag_one("It trades as NASDAQ: AMZN."), ["Amazon"]);
        assert_eq!(tag_one("Listed on NYSE:TGT since 1967"), ["Target"]);
        assert_eq!(tag_one("under the ticker “MSFT”"), ["Microsoft"]);
        assert_eq!(tag_one("Apple (AAPL) rose."), ["Apple"]);
        assert!(tag_one("Shares of AMZN and MSFT rose.").is_empty());
    }

    #[test]
    fn unknown_firms_with_legal_suffixes() {
        assert_eq!(tag_one("The Payne Webber Group Inc said"), ["Payne Webber"]);
        assert_eq!(
            tag_one("On Tuesday Halvorsen Marine ASA rose"),
            ["Halvorsen Marine"]
        );
        assert_eq!(tag_one("a unit of Vogel & Sons GmbH"), ["Vogel & Sons"]);
        assert_eq!(tag_one("Vogel Apple Holdings Inc. said"), ["Vogel Apple"]);
        assert_eq!(
            tag_one("Microsoft and Kessler Freight GmbH"),
            ["Kessler Freight", "Microsoft"]
        );
        assert_eq!(tag_one("Chinese Apple Inc. rival"), ["Apple"]);
        assert_eq!(tag_one("Microsoft Technologies Corp. said"), ["Microsoft"]);
        assert!(tag_one("The Group said; a Company spokesperson").is_empty());
    }

    #[test]
    fn short_forms_count_later_in_the_article() {
        let tags = tag_all(
            &[],
            &[
                "Halvorsen Marine ASA and Payne Webber Group Inc. (PWG) agreed.",
                "Halvorsen and PWG rose; Payne Webber fell.",
                "Van der Berg Logistics B.V. said.",
                "Van der Berg's director.",
            ],
        );
        assert_eq!(tags[1], ["Halvorsen Marine", "Payne Webber"]);
        assert_eq!(tags[3], ["Van der Berg Logistics"]);
    }

    #[test]
    fn declared_firms_count_like_aliases() {
        let tags = tag_all(&["Brightwater Analytics Inc."], &["Brightwater said."]);
        assert_eq!(tags, [vec!["Brightwater Analytics"]]);
    }

    #[test]
    fn title_case_headlines_take_short_runs() {
        let tags = tag_all(
            &[],
            &["Payne Webber Buys Halvorsen Marine ASA", "Buys said."],
        );
        assert_eq!(tags, [vec!["Halvorsen Marine"], vec![]]);
    }

    #[test]
    fn products_are_not_companies() {
        assert!(tag_one("Claude runs on Bedrock, Trainium and Azure.").is_empty());
    }
}

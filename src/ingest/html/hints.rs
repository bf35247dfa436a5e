//! What an element's `class`, `id` and `role` say about it, as readability and trafilatura
//! read them: words that mark article text, words that mark page furniture, and words that
//! make furniture unlikely to hold the article at all. Words are matched against the
//! attribute's tokens (split at punctuation and at lower-to-upper case changes, a final `s`
//! ignored), never as bare substrings: `shareholders` is not `share`, `loaded` not `ad`.
//! These hints only weigh in: which block is the article is decided by text and link density.

/// Tokens of article containers.
const POSITIVE: &[&str] = &[
    "article", "body", "content", "entry", "hentry", "main", "page", "post", "text", "blog",
    "story", "prose", "richtext",
];

/// Tokens of furniture: they lower a block's score and mark it for conditional removal.
const NEGATIVE: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "banner",
    "byline",
    "caption",
    "combx",
    "comment",
    "contact",
    "credit",
    "footer",
    "footnote",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "promoted",
    "related",
    "recommended",
    "scroll",
    "share",
    "sharing",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "sponsored",
    "shopping",
    "tag",
    "taboola",
    "widget",
    "hidden",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "paywall",
    "social",
    "popular",
    "trending",
    "teaser",
    "teasers",
    "author",
    "bio",
    "disclaimer",
    "login",
    "cookie",
    "consent",
];

/// Tokens of blocks that are furniture whatever they hold, unless a positive token says
/// otherwise: they are left out before scoring.
const UNLIKELY: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "ai2html",
    "banner",
    "breadcrumb",
    "breadcrumbs",
    "combx",
    "comment",
    "community",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legend",
    "menu",
    "nav",
    "navbar",
    "navigation",
    "related",
    "remark",
    "replies",
    "reply",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "sponsored",
    "supplemental",
    "pagination",
    "pager",
    "popup",
    "modal",
    "newsletter",
    "subscribe",
    "signup",
    "cookie",
    "consent",
    "share",
    "sharing",
    "outbrain",
    "taboola",
    "recommended",
    "promo",
    "trending",
    "popular",
    "toolbar",
    "masthead",
];

/// Tokens that keep a block a candidate despite an unlikely token.
const MAYBE: &[&str] = &[
    "article", "body", "column", "content", "main", "shadow", "story", "post", "entry",
];

/// ARIA roles of furniture.
const UNLIKELY_ROLES: &[&str] = &[
    "menu",
    "menubar",
    "complementary",
    "navigation",
    "alert",
    "alertdialog",
    "dialog",
    "banner",
    "contentinfo",
    "search",
];

/// What the attributes of one element say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Hints {
    /// +25 for an article token, −25 for a furniture token (both may apply).
    pub(crate) weight: i32,
    /// Furniture whatever it holds.
    pub(crate) unlikely: bool,
}

impl Hints {
    pub(crate) fn of(class: &str, id: &str, role: Option<&str>) -> Hints {
        let mut hints = Hints::default();
        if let Some(role) = role {
            hints.unlikely = UNLIKELY_ROLES.contains(&role.trim().to_ascii_lowercase().as_str());
        }
        if class.is_empty() && id.is_empty() {
            return hints;
        }
        let (mut positive, mut negative, mut unlikely, mut maybe) = (false, false, false, false);
        for attribute in [class, id] {
            for token in tokens(attribute) {
                let word = token
                    .strip_suffix('s')
                    .filter(|w| w.len() > 2)
                    .unwrap_or(&token);
                let is = |list: &[&str]| list.contains(&token.as_str()) || list.contains(&word);
                positive |= is(POSITIVE);
                negative |= is(NEGATIVE);
                unlikely |= is(UNLIKELY);
                maybe |= is(MAYBE);
            }
        }
        if positive {
            hints.weight += 25;
        }
        if negative {
            hints.weight -= 25;
        }
        hints.unlikely |= unlikely && !maybe;
        hints
    }
}

/// Lower-case tokens of an attribute: split at anything not alphanumeric and where a lower-case
/// letter is followed by an upper-case one (`socialShare` → `social`, `share`).
fn tokens(attribute: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in attribute.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_at_punctuation_and_case_changes() {
        assert_eq!(
            tokens("socialShare post-body__text"),
            ["social", "share", "post", "body", "text"]
        );
        assert_eq!(tokens("  "), Vec::<String>::new());
    }

    #[test]
    fn whole_tokens_only_and_article_words_win_over_unlikely_ones() {
        assert_eq!(Hints::of("shareholders loaded", "", None), Hints::default());
        let share = Hints::of("share-tools", "", None);
        assert!(share.unlikely && share.weight < 0);
        let post = Hints::of("post social-enabled", "", None);
        assert!(!post.unlikely);
        assert_eq!(post.weight, 0);
        assert!(Hints::of("", "", Some("navigation")).unlikely);
        assert_eq!(Hints::of("", "article-body", None).weight, 25);
        assert!(Hints::of("comments", "", None).unlikely);
    }
}

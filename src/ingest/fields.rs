//! Which JSON Lines fields hold an article's parts. The defaults fit the common shape
//! (`{"id", "title", "text", "date", ...}`); `FieldMap::set("text=content")` adapts it to
//! another corpus without a conversion step.

use super::IngestError;

/// JSON field names for each part of an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMap {
    pub id: String,
    pub title: String,
    /// Candidates for the body, in order of preference: the first one present is the text.
    pub text: Vec<String>,
    pub date: String,
    pub source: String,
    pub url: String,
    pub author: String,
    /// An array of strings or one comma-separated string.
    pub companies: String,
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            id: "id".into(),
            title: "title".into(),
            text: vec!["text".into(), "body".into()],
            date: "date".into(),
            source: "source".into(),
            url: "url".into(),
            author: "author".into(),
            companies: "companies".into(),
        }
    }
}

const TARGETS: &str = "id, title, text, date, source, url, author, companies";

impl FieldMap {
    /// Applies one `target=field` mapping, e.g. `title=headline`; `text=content,body` sets
    /// the list of body candidates.
    pub fn set(&mut self, spec: &str) -> Result<(), IngestError> {
        let bad = |message: String| IngestError::FieldSpec {
            spec: spec.to_string(),
            message,
        };
        let (target, field) = spec
            .split_once('=')
            .ok_or_else(|| bad("expected TARGET=FIELD, e.g. text=content".into()))?;
        let (target, field) = (target.trim(), field.trim());
        if field.is_empty() {
            return Err(bad(format!("no field name given for `{target}`")));
        }
        let slot = match target.to_ascii_lowercase().as_str() {
            "text" | "body" => {
                let names: Vec<String> = field
                    .split(',')
                    .map(str::trim)
                    .filter(|name| !name.is_empty())
                    .map(String::from)
                    .collect();
                if names.is_empty() {
                    return Err(bad("no field name given for `text`".into()));
                }
                self.text = names;
                return Ok(());
            }
            "id" => &mut self.id,
            "title" => &mut self.title,
            "date" => &mut self.date,
            "source" => &mut self.source,
            "url" => &mut self.url,
            "author" => &mut self.author,
            "companies" => &mut self.companies,
            _ => {
                return Err(bad(format!(
                    "unknown target `{target}`: expected one of {TARGETS}"
                )))
            }
        };
        *slot = field.to_string();
        Ok(())
    }

    /// Whether `name` is one of the mapped fields (kept out of `meta.extra`).
    pub(crate) fn is_mapped(&self, name: &str) -> bool {
        [
            &self.id,
            &self.title,
            &self.date,
            &self.source,
            &self.url,
            &self.author,
            &self.companies,
        ]
        .iter()
        .any(|field| *field == name)
            || self.text.iter().any(|field| field == name)
    }

    /// The body candidates as an error message names them: "`text` or `body`".
    pub(crate) fn text_names(&self) -> String {
        let quoted: Vec<String> = self.text.iter().map(|f| format!("`{f}`")).collect();
        quoted.join(" or ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_read_the_common_shape() {
        let map = FieldMap::default();
        assert_eq!(map.text, ["text", "body"]);
        assert_eq!(map.title, "title");
        assert_eq!(map.text_names(), "`text` or `body`");
    }

    #[test]
    fn set_renames_one_target() {
        let mut map = FieldMap::default();
        map.set("title=headline").unwrap();
        map.set(" text = content , body ").unwrap();
        assert_eq!(map.title, "headline");
        assert_eq!(map.text, ["content", "body"]);
        assert!(map.is_mapped("headline"));
        assert!(!map.is_mapped("title"));
    }

    #[test]
    fn set_rejects_unknown_targets_by_name() {
        let mut map = FieldMap::default();
        let err = map.set("headline=title").unwrap_err().to_string();
        assert!(err.contains("unknown target `headline`"), "{err}");
        assert!(err.contains("companies"), "{err}");
        assert!(map.set("title").is_err());
        assert!(map.set("title=").is_err());
        assert!(map.set("text=, ,").is_err());
    }
}

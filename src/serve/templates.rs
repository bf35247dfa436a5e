//! The markup of every page, written with maud: templates are Rust expressions checked by the
//! compiler, and every value spliced into them is HTML-escaped unless explicitly marked
//! otherwise (nothing here is), so article text, titles, ids and the query itself are always
//! shown as text. Links are built from [`SearchParams`], so each state of the page is a URL.
//!
//! Layout: a header with the query box (the one form of the page: filter fields elsewhere on
//! the page join it through the `form` attribute), then the page's content. No template needs
//! JavaScript; `app.js` only adds `/` to focus the box and neighbours inline.

use std::ops::Range;

use maud::{html, Markup, DOCTYPE};

use super::api::CompanyResponse;
use super::error::ServeError;
use super::params::{SearchParams, MAX_QUERY_BYTES};
use crate::dates::format_day;
use crate::model::{CompanyCount, FacetNode, Hit};
use crate::render::errors;
use crate::search::browse::ArticleView;
use crate::search::{SearchRequest, SearchResults, SortBy};

/// Top-level companies shown in the facet tree before a "more" fold.
const FACETS_SHOWN: usize = 25;

fn layout(title: &str, params: Option<&SearchParams>, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · graf" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "graf" }
                    (search_form(params))
                    nav.links {
                        a href="/" { "Search" }
                        a href="/companies" { "Companies" }
                    }
                }
                (main)
            }
        }
    }
}

/// The query box, carrying the page's company filters so a new query keeps them.
fn search_form(params: Option<&SearchParams>) -> Markup {
    let q = params.map_or("", |p| p.request.query.as_str());
    html! {
        form id="search" class="search" action="/" method="get" role="search" {
            input id="q" type="search" name="q" value=(q) maxlength=(MAX_QUERY_BYTES)
                placeholder="Search passages: chips \"custom chips\" company:aws"
                aria-label="Query (press / to focus)" autocomplete="off";
            @if let Some(params) = params {
                @for company in &params.companies {
                    input type="hidden" name="company" value=(company);
                }
            }
            button type="submit" { "Search" }
        }
    }
}

/// What the search page shows.
pub struct SearchPage<'a> {
    pub params: &'a SearchParams,
    pub results: Option<&'a SearchResults>,
    /// A bad parameter or query, shown above the (empty) results.
    pub error: Option<&'a str>,
    /// The sources of the index, offered by the source filter.
    pub sources: &'a [String],
    /// Passages in the index.
    pub passages: u64,
}

pub fn search_page(view: &SearchPage) -> Markup {
    let params = view.params;
    let title = if params.request.query.is_empty() {
        "Search".to_string()
    } else {
        params.request.query.clone()
    };
    let main = html! {
        main.layout {
            aside.side {
                (filters(view))
                @if let Some(facets) = view.results.and_then(|r| r.facets.as_deref()) {
                    details.panel.facets open {
                        summary { "Companies" }
                        @if facets.is_empty() {
                            p.quiet { "No company is named in these passages." }
                        } @else {
                            (facet_tree(facets, params, true))
                        }
                    }
                }
            }
            section.results aria-live="polite" {
                (active_filters(params))
                @if let Some(error) = view.error {
                    p.error role="alert" { (error) }
                }
                @if let Some(results) = view.results {
                    (results_list(results, params))
                } @else if view.error.is_none() {
                    (welcome(view.passages))
                }
            }
        }
    };
    layout(&title, Some(params), main)
}

fn welcome(passages: u64) -> Markup {
    let example = |q: &str| {
        let mut params = SearchParams::default();
        params.request.query = q.to_string();
        params
    };
    html! {
        div.welcome {
            p { "Search " (passages) " passages. Words, " code { "\"a phrase\"" } ", "
                code { "-exclusions" } ", " code { "title:word" } ", " code { "company:name" }
                " and " code { "prefix*" } " work as in " code { "graf search" } "." }
            p { "Try "
                @for (i, q) in ["chips", "\"data centre\"", "company:amazon cloud"].iter().enumerate() {
                    @if i > 0 { ", " }
                    a href=(example(q).url()) { (q) }
                }
                ", or browse the " a href="/companies" { "companies" } "." }
        }
    }
}

/// Source, dates, collapse and order: fields of the header's form.
fn filters(view: &SearchPage) -> Markup {
    let params = view.params;
    let request = &params.request;
    let day = |d: Option<time::OffsetDateTime>| d.map(format_day).unwrap_or_default();
    let open = !request.sources.is_empty()
        || request.since.is_some()
        || request.until.is_some()
        || request.per_article.is_some()
        || request.sort == SortBy::Date;
    html! {
        details.panel.filters open[open] {
            summary { "Filters" }
            @for source in &request.sources {
                input type="hidden" name="source" value=(source) form="search";
            }
            label { "Source"
                input type="text" name="source" list="sources" form="search" placeholder="any source";
            }
            datalist id="sources" {
                @for source in view.sources.iter().take(500) { option value=(source) {} }
            }
            div.dates {
                label { "From" input type="date" name="since" value=(day(request.since)) form="search"; }
                label { "To" input type="date" name="until" value=(day(request.until)) form="search"; }
            }
            label.check {
                input type="checkbox" name="per_article" value=(request.per_article.unwrap_or(1))
                    checked[request.per_article.is_some()] form="search";
                "One passage per article"
            }
            @if params.companies.len() > 1 {
                label.check {
                    input type="checkbox" name="any_company" value="true"
                        checked[request.any_company] form="search";
                    "Any of the companies (not all)"
                }
            }
            label { "Order"
                select name="sort" form="search" {
                    option value="score" selected[request.sort == SortBy::Score] { "Relevance" }
                    option value="date" selected[request.sort == SortBy::Date] { "Newest first" }
                }
            }
            @if let Some(article) = &request.article {
                input type="hidden" name="article" value=(article) form="search";
            }
            button type="submit" form="search" { "Apply" }
        }
    }
}

/// The filters in force, each with a link that removes it.
fn active_filters(params: &SearchParams) -> Markup {
    let request = &params.request;
    // The URL of the first page without the filter `clear` removes.
    let without = |clear: &dyn Fn(&mut SearchRequest)| {
        let mut next = params.at_offset(0);
        clear(&mut next.request);
        next.url()
    };
    let mut removals: Vec<(String, String)> = Vec::new();
    for company in &params.companies {
        removals.push((
            format!("company: {company}"),
            params.without_company(company).url(),
        ));
    }
    for source in &request.sources {
        let url = without(&|next| next.sources.retain(|s| s != source));
        removals.push((format!("source: {source}"), url));
    }
    if let Some(since) = request.since {
        let url = without(&|next| next.since = None);
        removals.push((format!("from {}", format_day(since)), url));
    }
    if let Some(until) = request.until {
        let url = without(&|next| next.until = None);
        removals.push((format!("to {}", format_day(until)), url));
    }
    if let Some(article) = &request.article {
        let url = without(&|next| next.article = None);
        removals.push((format!("article: {article}"), url));
    }
    if let Some(n) = request.per_article {
        let url = without(&|next| next.per_article = None);
        removals.push((format!("at most {n} per article"), url));
    }
    html! {
        @if !removals.is_empty() {
            ul.active aria-label="Filters in force" {
                @for (label, url) in &removals {
                    li { a.chip.on href=(url) title="Remove this filter" { (label) span.x aria-hidden="true" { "×" } } }
                }
            }
        }
    }
}

fn facet_tree(nodes: &[FacetNode], params: &SearchParams, top: bool) -> Markup {
    let shown = if top { FACETS_SHOWN } else { usize::MAX };
    html! {
        ul.tree {
            @for node in nodes.iter().take(shown) { (facet_node(node, params)) }
        }
        @if nodes.len() > shown {
            details.more {
                summary { (nodes.len() - shown) " more" }
                ul.tree { @for node in &nodes[shown..] { (facet_node(node, params)) } }
            }
        }
    }
}

fn facet_node(node: &FacetNode, params: &SearchParams) -> Markup {
    let active = params.companies.contains(&node.path);
    let url = if active {
        params.without_company(&node.path).url()
    } else {
        params.with_company(&node.path).url()
    };
    html! {
        li {
            a.facet.on[active] href=(url) aria-pressed=(active) title=(node.path) {
                span.name { (node.name) } span.count { (node.count) }
            }
            @if !node.children.is_empty() { (facet_tree(&node.children, params, false)) }
        }
    }
}

fn results_list(results: &SearchResults, params: &SearchParams) -> Markup {
    let offset = params.request.offset;
    let first = offset + 1;
    let last = offset + results.hits.len();
    html! {
        @for note in &results.notes { p.note { (errors::note(note)) } }
        p.summary {
            @if results.hits.is_empty() {
                @if offset > 0 && results.total > 0 {
                    "No passages on this page; " (results.total) " match in all."
                } @else {
                    "No passage matches."
                }
            } @else {
                (first) "–" (last) " of " (results.total) " matching passages"
            }
            span.quiet { " · " (format!("{:.1}", results.elapsed.as_secs_f64() * 1e3)) " ms" }
        }
        ol.hits start=(first) {
            @for hit in &results.hits { (hit_item(hit, params)) }
        }
        (pager(results, params))
    }
}

fn article_url(id: &str, paragraph: u32) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("id", id)
        .append_pair("hit", &paragraph.to_string())
        .finish();
    format!("/article?{query}#p{paragraph}")
}

fn hit_item(hit: &Hit, params: &SearchParams) -> Markup {
    let url = article_url(&hit.article_id, hit.paragraph);
    html! {
        li.hit value=(hit.rank) {
            div.head {
                a.title href=(url) { (hit.title.as_deref().unwrap_or(&hit.article_id)) }
                @if let Some(section) = &hit.section { span.sep { " › " } span.section { (section) } }
            }
            div.meta {
                code.loc { (hit.path) ":" (hit.line) }
                @if let Some(date) = &hit.date { " · " time datetime=(date) { (date) } }
                @if let Some(source) = &hit.source { " · " span.source { (source) } }
            }
            @if let Some(context) = &hit.context { p.lead { (context) } }
            p.text { (snippet(hit)) }
            div.foot {
                @for company in &hit.companies {
                    a.chip href=(params.with_company(company).url()) title=(format!("Only passages naming {company}")) { (company) }
                }
                a.more href=(url) data-article=(hit.article_id) data-paragraph=(hit.paragraph) aria-expanded="false" {
                    "Neighbouring paragraphs"
                }
            }
        }
    }
}

/// The snippet with its highlights. Where the snippet was cut from a longer passage an
/// ellipsis says so; a cut that dropped only punctuation (the snippet generator trims a final
/// full stop) gives that punctuation back instead.
fn snippet(hit: &Hit) -> Markup {
    let fragment = &hit.snippet.fragment;
    let start = hit.snippet.start.min(hit.text.len());
    let end = (start + fragment.len()).min(hit.text.len());
    let before = hit.text.get(..start).unwrap_or("");
    let after = hit.text.get(end..).unwrap_or("");
    let has_words = |text: &str| text.chars().any(char::is_alphanumeric);
    html! {
        @if has_words(before) { "… " } @else { (before) }
        (highlighted(fragment, &hit.snippet.highlights))
        @if has_words(after) { " …" } @else { (after) }
    }
}

/// `text` with the byte ranges `marks` in `<mark>`; a range off a character boundary is shown
/// plain rather than trusted.
pub fn highlighted(text: &str, marks: &[Range<usize>]) -> Markup {
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for mark in marks {
        let (Some(before), Some(marked)) = (
            text.get(at..mark.start.max(at)),
            text.get(mark.start.max(at)..mark.end),
        ) else {
            continue;
        };
        pieces.push((before, false));
        pieces.push((marked, true));
        at = mark.end;
    }
    pieces.push((text.get(at..).unwrap_or(""), false));
    html! {
        @for (piece, marked) in pieces {
            @if marked { mark { (piece) } } @else { (piece) }
        }
    }
}

fn pager(results: &SearchResults, params: &SearchParams) -> Markup {
    let (offset, limit) = (params.request.offset, params.request.limit);
    let previous = (offset > 0).then(|| params.at_offset(offset.saturating_sub(limit)));
    let next_offset = offset + limit;
    let next = (results.hits.len() == limit
        && next_offset < results.total
        && next_offset <= super::params::MAX_OFFSET)
        .then(|| params.at_offset(next_offset));
    let page = offset / limit + 1;
    html! {
        @if previous.is_some() || next.is_some() {
            nav.pager aria-label="Pages" {
                @if let Some(previous) = previous { a.prev href=(previous.url()) rel="prev" { "← Previous" } }
                span.page { "Page " (page) }
                @if let Some(next) = next { a.next href=(next.url()) rel="next" { "Next →" } }
            }
        }
    }
}

/// What the article view shows.
pub struct ArticlePage<'a> {
    pub view: &'a ArticleView,
    /// The passage the reader came from, marked.
    pub hit: Option<u32>,
}

pub fn article_page(page: &ArticlePage) -> Markup {
    let view = page.view;
    let title = view.title.as_deref().unwrap_or(&view.id);
    let mut in_article = SearchParams::default();
    in_article.request.article = Some(view.id.clone());
    let mut companies = Vec::new();
    flatten(&view.companies, &mut companies);
    let first = view.passages.first().map_or(0, |p| p.paragraph);
    let last = view.passages.last().map_or(0, |p| p.paragraph);
    let partial = view.passages.len() as u64 != view.total_passages;
    let main = html! {
        main.article {
            h1 { (title) }
            p.meta {
                code { (view.path) }
                @if let Some(date) = &view.date { " · " time datetime=(date) { (date) } }
                @if let Some(source) = &view.source { " · " (source) }
                " · " (view.total_passages) " passages · "
                a href=(in_article.url()) { "search this article" }
            }
            @if !companies.is_empty() {
                div.chips aria-label="Companies in this article" {
                    @for node in &companies {
                        a.chip href=(in_article.with_company(&node.path).url()) title=(node.path) {
                            (node.path) span.count { (node.count) }
                        }
                    }
                }
            }
            @if partial {
                p.note { "Passages " (first) "–" (last) " of " (view.total_passages) ". "
                    a href=(format!("/article?{}", form_urlencoded::Serializer::new(String::new()).append_pair("id", &view.id).finish())) { "Whole article" } }
            }
            (passages(view, page.hit))
        }
    };
    layout(title, None, main)
}

fn passages(view: &ArticleView, hit: Option<u32>) -> Markup {
    // A heading or list lead-in is shown where it changes, as in the article.
    let mut previous: (Option<&str>, Option<&str>) = (None, None);
    let rows: Vec<_> = view
        .passages
        .iter()
        .map(|passage| {
            let (section, lead) = (passage.section.as_deref(), passage.context.as_deref());
            let heading = section.filter(|_| section != previous.0);
            let lead_in = lead.filter(|_| lead != previous.1 || section != previous.0);
            previous = (section, lead);
            (passage, heading, lead_in)
        })
        .collect();
    html! {
        div.passages {
            @for (passage, heading, lead_in) in rows {
                @if let Some(heading) = heading { h2.section { (heading) } }
                @if let Some(lead_in) = lead_in { p.lead { (lead_in) } }
                @let is_hit = hit == Some(passage.paragraph);
                div.passage.hit[is_hit] id=(format!("p{}", passage.paragraph)) aria-current=[is_hit.then_some("true")] {
                    a.num href=(format!("#p{}", passage.paragraph)) title=(format!("line {}", passage.line)) { (passage.paragraph) }
                    p { (passage.text) }
                    @if !passage.companies.is_empty() {
                        div.chips { @for company in &passage.companies { span.chip.small { (company) } } }
                    }
                }
            }
        }
    }
}

fn flatten<'a>(nodes: &'a [FacetNode], out: &mut Vec<&'a FacetNode>) {
    for node in nodes {
        out.push(node);
        flatten(&node.children, out);
    }
}

/// What the companies page shows.
pub struct CompaniesPage<'a> {
    pub tree: &'a [CompanyCount],
    /// The company whose co-mentions are shown.
    pub company: Option<&'a CompanyResponse>,
}

pub fn companies_page(page: &CompaniesPage) -> Markup {
    let title = page.company.map_or("Companies", |c| c.name.as_str());
    let main = html! {
        main.companies {
            @if let Some(company) = page.company { (co_mentions(company, page.tree)) }
            h1 { "Companies" }
            @if page.tree.is_empty() {
                p { "No company is named in this index." }
            } @else {
                p.quiet { "Every company named in the index, subsidiaries under their parent; a parent's counts include its subsidiaries. Pick one to see which companies are named in the same passages." }
                table.tree {
                    thead { tr { th { "Company" } th.num { "Passages" } th.num { "Articles" } } }
                    tbody { (company_rows(page.tree, 0)) }
                }
            }
        }
    };
    layout(title, None, main)
}

fn company_rows(nodes: &[CompanyCount], depth: usize) -> Markup {
    let passages_url = |path: &str| SearchParams::default().with_company(path).url();
    html! {
        @for node in nodes {
            tr {
                td class=(format!("name depth-{}", depth.min(4))) {
                    a href=(company_url(&node.path)) { (node.name) }
                }
                td.num { a href=(passages_url(&node.path)) title="Read these passages" { (node.passages) } }
                td.num { (node.articles) }
            }
            (company_rows(&node.children, depth + 1))
        }
    }
}

fn company_url(path: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("company", path)
        .finish();
    format!("/companies?{query}")
}

fn co_mentions(company: &CompanyResponse, tree: &[CompanyCount]) -> Markup {
    let articles = find(tree, &company.path).map(|node| node.articles);
    let own = SearchParams::default().with_company(&company.path);
    html! {
        section.company {
            h1 { (company.name) }
            p.meta {
                @if company.path != company.name { code { (company.path) } " · " }
                (company.passages) " passages"
                @if let Some(articles) = articles { " in " (articles) " articles" }
                " · " a href=(own.url()) { "read them" }
            }
            h2 { "Named in the same passages" }
            @if company.co_mentions.is_empty() {
                p.quiet { "No other company is named in its passages." }
            } @else {
                @let most = company.co_mentions[0].passages.max(1);
                table.co {
                    thead { tr { th { "Company" } th.num { "Passages together" } th.bar { span.visually-hidden { "Share" } } } }
                    tbody {
                        @for mention in &company.co_mentions {
                            tr {
                                td { a href=(company_url(&mention.path)) title=(mention.path) { (mention.path) } }
                                td.num { a href=(own.with_company(&mention.path).url()) title="Read the passages naming both" { (mention.passages) } }
                                td.bar { meter min="0" max=(most) value=(mention.passages) {} }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn find<'a>(nodes: &'a [CompanyCount], path: &str) -> Option<&'a CompanyCount> {
    nodes.iter().find_map(|node| {
        if node.path == path {
            Some(node)
        } else {
            find(&node.children, path)
        }
    })
}

/// A page for a request that could not be answered.
pub fn error_page(err: &ServeError) -> Markup {
    let status = err.status();
    let main = html! {
        main.error-page {
            h1 { (status.as_u16()) " " (status.canonical_reason().unwrap_or("")) }
            p.error role="alert" { (err.message()) }
            p { a href="/" { "Back to the search page" } }
        }
    };
    layout(status.canonical_reason().unwrap_or("Error"), None, main)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_marked_and_everything_is_escaped() {
        let text = "<b>chips</b> & more chips";
        let markup = highlighted(text, &[3..8, 20..25]).into_string();
        assert_eq!(
            markup,
            "&lt;b&gt;<mark>chips</mark>&lt;/b&gt; &amp; more <mark>chips</mark>"
        );
    }

    #[test]
    fn a_range_off_a_character_boundary_is_not_trusted() {
        let markup = highlighted("café chips", &[Range { start: 4, end: 5 }]).into_string();
        assert_eq!(markup, "café chips");
    }

    #[test]
    fn a_hostile_title_is_text_on_every_page() {
        let view = ArticleView {
            id: "x\"><script>".into(),
            title: Some("<script>alert(1)</script>".into()),
            path: "p".into(),
            date: None,
            source: None,
            total_passages: 0,
            companies: Vec::new(),
            passages: Vec::new(),
        };
        let page = article_page(&ArticlePage {
            view: &view,
            hit: None,
        })
        .into_string();
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!page.contains("x\"><script>"));
    }
}

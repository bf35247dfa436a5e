//! Tests on the fixture files in `tests/fixtures/ingest/` (regenerate the gzip ones with
//! `python3 make_gzip.py` in that folder) and on temporary trees.

use std::path::{Path, PathBuf};

use crate::model::{SourceDoc, TextFormat};

use super::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest")
}

fn found(relative: &str) -> FoundFile {
    let root = fixtures().join(relative);
    let mut files = discover(&[root], &ReadOptions::default());
    files.next().expect("one file").expect("a readable file")
}

fn articles(relative: &str) -> Vec<Result<SourceDoc, IngestError>> {
    read(&found(relative), &ReadOptions::default())
        .expect("opens")
        .collect()
}

fn only_article(relative: &str) -> SourceDoc {
    let mut all = articles(relative);
    assert_eq!(all.len(), 1, "{relative}");
    all.remove(0).expect("an article")
}

fn read_error(relative: &str) -> IngestError {
    match read(&found(relative), &ReadOptions::default()) {
        Ok(_) => panic!("{relative} should fail"),
        Err(err) => err,
    }
}

#[test]
fn discover_walks_sorted_and_skips_hidden_and_unknown_files() {
    let keys: Vec<String> = discover(&[fixtures()], &ReadOptions::default())
        .map(|found| found.expect("readable").key)
        .collect();
    let expected = [
        "bad/bad.jsonl",
        "bad/binary.txt",
        "bad/corrupt.txt.gz",
        "bad/invalid-utf8.txt",
        "bad/truncated.jsonl.gz",
        "jsonl/crlf.jsonl",
        "jsonl/good.jsonl",
        "jsonl/members.ndjson.gz",
        "jsonl/records.jsonl.gz",
        "jsonl/sniffed.jsonl",
        "news/chip-deal.html",
        "news/port-strike.htm",
        "text/bom.txt",
        "text/brief.md.gz",
        "text/empty.txt",
        "text/notes.md",
        "text/plain.txt",
    ];
    assert_eq!(keys, expected);
}

#[test]
fn discover_fills_format_gzip_and_size() {
    let file = found("jsonl/records.jsonl.gz");
    assert_eq!(file.format, FileFormat::JsonLines);
    assert!(file.gzip);
    assert_eq!(file.size, 395);
    let page = found("news/port-strike.htm");
    assert_eq!((page.format, page.gzip), (FileFormat::Html, false));
}

#[test]
fn discover_reports_a_missing_root_and_goes_on() {
    let roots = [
        fixtures().join("no-such-folder"),
        fixtures().join("text/plain.txt"),
    ];
    let results: Vec<_> = discover(&roots, &ReadOptions::default()).collect();
    assert_eq!(results.len(), 2);
    let err = results[0].as_ref().unwrap_err();
    assert!(matches!(err, IngestError::NotFound { .. }));
    assert!(err
        .to_string()
        .ends_with("no-such-folder: no such file or directory"));
    assert!(results[1].is_ok());
}

#[test]
fn a_file_named_directly_is_read_even_hidden_but_must_have_a_known_type() {
    let hidden = found(".hidden.txt");
    assert_eq!(hidden.format, FileFormat::Text);
    assert!(hidden.key.ends_with("tests/fixtures/ingest/.hidden.txt"));
    let unknown = fixtures().join("unknown.csv");
    let err = discover(&[unknown], &ReadOptions::default())
        .next()
        .expect("one result")
        .unwrap_err();
    assert!(matches!(err, IngestError::UnknownExtension { .. }));
    assert!(err
        .to_string()
        .contains("unknown.csv: not a known article file"));
}

#[test]
fn a_forced_format_reads_every_visible_file_and_sniffs_gzip() {
    let options = ReadOptions {
        format: Some(FileFormat::Text),
        ..ReadOptions::default()
    };
    let found: Vec<FoundFile> = discover(&[fixtures()], &options)
        .map(|found| found.expect("readable"))
        .collect();
    let csv = found.iter().find(|f| f.key == "unknown.csv").expect("csv");
    assert_eq!(csv.format, FileFormat::Text);
    let sniffed = found.iter().find(|f| f.key == "jsonl/sniffed.jsonl");
    assert!(sniffed.expect("sniffed").gzip);
    assert!(found.iter().all(|f| !f.key.contains(".hidden")));
    let script = found.iter().find(|f| f.key == "make_gzip.py");
    assert_eq!(script.map(|f| f.format), Some(FileFormat::Text));
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_and_loops_reported_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inner = dir.path().join("desk");
    std::fs::create_dir(&inner).expect("mkdir");
    std::fs::write(inner.join("a.txt"), "A story.\n").expect("write");
    std::os::unix::fs::symlink(dir.path(), inner.join("loop")).expect("symlink");
    std::os::unix::fs::symlink(inner.join("a.txt"), dir.path().join("b.txt")).expect("symlink");
    let results: Vec<_> = discover(&[dir.path().to_path_buf()], &ReadOptions::default()).collect();
    let keys: Vec<_> = results.iter().flatten().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["b.txt", "desk/a.txt"]);
    let loops = results
        .iter()
        .filter(|r| matches!(r, Err(IngestError::SymlinkLoop { .. })));
    assert_eq!(loops.count(), 1);
}

#[test]
fn text_and_markdown_files_are_one_article_each_as_read() {
    let plain = only_article("text/plain.txt");
    assert_eq!(plain.format, TextFormat::Plain);
    assert!(plain
        .text
        .starts_with("Grain Prices Climb\n\nWheat futures"));
    assert_eq!(plain.record_line, None);
    assert!(plain.key.ends_with("text/plain.txt"));
    assert_eq!(plain.meta, Default::default());
    let notes = only_article("text/notes.md");
    assert_eq!(notes.format, TextFormat::Markdown);
    assert!(notes.text.starts_with("---\ntitle: Quarterly notes\n"));
    assert!(only_article("text/bom.txt").text.starts_with('\u{feff}'));
    assert_eq!(only_article("text/empty.txt").text, "");
    let brief = only_article("text/brief.md.gz");
    assert_eq!(brief.text, "# Brief\n\nA compressed Markdown article.\n");
    assert_eq!(brief.format, TextFormat::Markdown);
}

#[test]
fn undecodable_files_are_errors_naming_the_file() {
    let err = read_error("bad/invalid-utf8.txt");
    assert!(matches!(
        err,
        IngestError::InvalidUtf8 {
            line: Some(3),
            offset: 63,
            ..
        }
    ));
    assert!(err
        .to_string()
        .ends_with("bad/invalid-utf8.txt:3: invalid UTF-8 (byte 63)"));
    let err = read_error("bad/binary.txt");
    assert!(matches!(err, IngestError::Binary { .. }));
    assert!(err.path().ends_with("bad/binary.txt"));
    let err = read_error("bad/corrupt.txt.gz");
    assert!(matches!(err, IngestError::Gzip { .. }), "{err}");
    assert!(err
        .to_string()
        .contains("corrupt.txt.gz: corrupt gzip stream"));
}

#[test]
fn a_news_page_becomes_markdown_without_furniture() {
    let page = only_article("news/chip-deal.html");
    assert_eq!(page.format, TextFormat::Markdown);
    let meta = &page.meta;
    assert_eq!(
        meta.title.as_deref(),
        Some("Northwind Silicon lands foundry deal with Kestrel Fabs")
    );
    assert_eq!(meta.date.as_deref(), Some("2025-09-14T07:30:00Z"));
    assert_eq!(meta.author.as_deref(), Some("Mira Castellano"));
    assert_eq!(meta.source.as_deref(), Some("The Harbour Ledger"));
    assert_eq!(
        meta.url.as_deref(),
        Some("https://ledger.example/tech/northwind-kestrel-foundry")
    );
    let expected = "By Mira Castellano · 14 September 2025\n\n\
        Northwind Silicon Inc. has signed a five-year agreement with Kestrel Fabs Ltd. to make \
        its next generation of inference chips, the company said on Sunday.\n\n\
        The contract covers wafers on a 3 nm process, with first volume expected in the second \
        half of next year.\n\n\
        ## What the deal covers\n\n\
        According to people familiar with the terms, the agreement includes:\n\n\
        - Reserved capacity for 40,000 wafers a year\n\
        - Joint work on advanced packaging\n\
        - An option to extend to a second plant\n\n\
        ## Next steps\n\n\
        1. Tape-out of the first design in the spring\n\
        2. Qualification runs over the summer\n\n\
        “Capacity is the whole game now,” one analyst said.\n\n\
        ### Market reaction\n\n\
        Company\n\nMove\n\nNorthwind Silicon\n\n+4.2%\n\n\
        Shareholders of both firms will vote on a related supply clause in November.\n";
    assert_eq!(page.text, expected);
}

#[test]
fn a_page_without_article_uses_main_and_keeps_a_differing_h1() {
    let page = only_article("news/port-strike.htm");
    assert_eq!(
        page.meta.title.as_deref(),
        Some("Dock workers extend strike at Brennhavn")
    );
    assert_eq!(
        page.text,
        "# Strike extended\n\n\
         Dock workers at the port of Brennhavn voted to extend their strike by a week, leaving \
         container ships waiting offshore.\n\n\
         Halvorsen Marine ASA said three of its vessels had been diverted.\n"
    );
}

#[test]
fn json_lines_records_map_their_fields() {
    let docs: Vec<SourceDoc> = articles("jsonl/good.jsonl")
        .into_iter()
        .map(|doc| doc.expect("good record"))
        .collect();
    assert_eq!(docs.len(), 3);
    let first = &docs[0];
    assert_eq!(first.record_line, Some(1));
    assert!(first.key.ends_with("jsonl/good.jsonl"));
    assert_eq!(first.format, TextFormat::Plain);
    assert_eq!(
        first.text,
        "The refinery restarted on Monday.\n\nOutput will ramp up over a week."
    );
    let meta = &first.meta;
    assert_eq!(meta.id.as_deref(), Some("a-1"));
    assert_eq!(meta.title.as_deref(), Some("Refinery restarts"));
    assert_eq!(meta.date.as_deref(), Some("2024-06-03"));
    assert_eq!(meta.source.as_deref(), Some("Wire"));
    assert_eq!(meta.url.as_deref(), Some("https://wire.example/a-1"));
    assert_eq!(meta.author.as_deref(), Some("J. Okafor"));
    assert_eq!(meta.companies, ["Solvang Energy ASA", "Pemberton Oil plc"]);
    let extra: Vec<_> = meta
        .extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(extra, [("desk", "Energy"), ("words", "14")]);

    let second = &docs[1];
    assert_eq!(second.record_line, Some(3));
    assert_eq!(second.meta.id.as_deref(), Some("42"));
    assert_eq!(second.text, "Body field used when there is no text.");
    assert_eq!(second.meta.companies, ["Aster Corp.", "Bellweather Inc."]);

    let third = &docs[2];
    assert!(third.key.ends_with("jsonl/good.jsonl#4"));
    assert_eq!(third.meta.id, None);
    let extra: Vec<_> = third
        .meta
        .extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(extra, [("draft", "false"), ("region", "EMEA")]);
}

#[test]
fn crlf_lines_and_array_text_are_read() {
    let texts: Vec<String> = articles("jsonl/crlf.jsonl")
        .into_iter()
        .map(|doc| doc.expect("good record").text)
        .collect();
    assert_eq!(texts, ["CRLF line.", "First part.\n\nSecond part."]);
}

#[test]
fn each_bad_record_is_its_own_error_and_reading_goes_on() {
    let results = articles("bad/bad.jsonl");
    let described: Vec<String> = results
        .iter()
        .map(|result| match result {
            Ok(doc) => format!("ok {}", doc.text),
            Err(err) => {
                let text = err.to_string();
                let at = text.find("bad.jsonl:").expect("names the file");
                text[at..].to_string()
            }
        })
        .collect();
    assert_eq!(
        described,
        [
            "ok good before",
            "bad.jsonl:2: invalid JSON: EOF while parsing an object at column 24",
            "bad.jsonl:3: invalid JSON: expected an object, found an array",
            "ok ",
            "bad.jsonl:5: invalid UTF-8 (byte 14)",
            "bad.jsonl:6: field `text` should be a string, found a number",
            "bad.jsonl:7: field `companies` should be a list of strings, found an object",
            "ok good after",
            "bad.jsonl:9: no text (no field `text` or `body`)",
        ]
    );
}

#[test]
fn a_field_map_renames_fields() {
    let mut options = ReadOptions::default();
    options.fields.set("text=title").expect("valid");
    options.fields.set("title=desk").expect("valid");
    let doc = read(&found("jsonl/good.jsonl"), &options)
        .expect("opens")
        .next()
        .expect("a record")
        .expect("good");
    assert_eq!(doc.text, "Refinery restarts");
    assert_eq!(doc.meta.title.as_deref(), Some("Energy"));
    // Fields no longer mapped are ordinary extra fields.
    let extra_text = doc.meta.extra.get("text").map(String::as_str);
    assert_eq!(
        extra_text.map(|text| text.starts_with("The refinery")),
        Some(true)
    );
    assert!(!doc.meta.extra.contains_key("desk"));
}

#[test]
fn gzip_json_lines_stream_every_member() {
    let records = articles("jsonl/records.jsonl.gz");
    assert_eq!(records.len(), 40);
    assert!(records.iter().all(Result::is_ok));
    let members: Vec<String> = articles("jsonl/members.ndjson.gz")
        .into_iter()
        .map(|doc| doc.expect("good").text)
        .collect();
    assert_eq!(members, ["member one", "member two"]);
    let sniffed = only_article("jsonl/sniffed.jsonl");
    assert_eq!(sniffed.text, "sniffed by magic bytes");
}

#[test]
fn a_truncated_gzip_yields_the_records_before_the_damage_then_one_error() {
    let mut results = articles("bad/truncated.jsonl.gz");
    let last = results.pop().expect("some results");
    let err = last.unwrap_err();
    assert!(matches!(err, IngestError::Truncated { .. }), "{err}");
    assert!(err
        .to_string()
        .ends_with("truncated.jsonl.gz: gzip stream ends early (truncated file)"));
    assert!(
        !results.is_empty() && results.len() < 40,
        "{}",
        results.len()
    );
    assert!(results.iter().all(Result::is_ok));
}

#[test]
fn bytes_read_reaches_the_file_size() {
    let file = found("jsonl/records.jsonl.gz");
    let mut records = read(&file, &ReadOptions::default()).expect("opens");
    assert!(records.bytes_read() <= file.size);
    records.by_ref().for_each(drop);
    assert_eq!(records.bytes_read(), file.size);
}

#[test]
fn format_names_parse_and_errors_list_them() {
    assert_eq!(
        "ndjson".parse::<FileFormat>().ok(),
        Some(FileFormat::JsonLines)
    );
    assert_eq!("HTM".parse::<FileFormat>().ok(), Some(FileFormat::Html));
    assert_eq!(
        "markdown".parse::<FileFormat>().ok(),
        Some(FileFormat::Markdown)
    );
    assert_eq!(FileFormat::JsonLines.to_string(), "jsonl");
    let err = "pdf".parse::<FileFormat>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown format `pdf`: expected one of txt, text, md, markdown, html, htm, jsonl, ndjson, json-lines"
    );
    assert_eq!(err.path(), Path::new(""));
}

#[test]
fn a_missing_file_is_not_found_at_read_time() {
    let file = FoundFile {
        path: fixtures().join("gone.txt"),
        key: "gone.txt".into(),
        format: FileFormat::Text,
        gzip: false,
        size: 0,
    };
    let err = read(&file, &ReadOptions::default()).err().expect("fails");
    assert!(matches!(err, IngestError::NotFound { .. }));
}

#[test]
fn the_gutenberg_sample_streams_when_present() {
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/gutenberg/sample.jsonl.gz");
    if !sample.exists() {
        eprintln!("skipped: {} is absent", sample.display());
        return;
    }
    let file = discover(&[sample], &ReadOptions::default())
        .next()
        .expect("one file")
        .expect("readable");
    let first: Vec<SourceDoc> = read(&file, &ReadOptions::default())
        .expect("opens")
        .take(500)
        .map(|doc| doc.expect("a good record"))
        .collect();
    assert_eq!(first.len(), 500);
    assert!(first
        .iter()
        .all(|doc| doc.meta.id.is_some() && !doc.text.is_empty()));
    assert!(first[0].meta.author.is_some());
    assert!(first[0].meta.extra.contains_key("book"));
}

#[test]
fn articles_and_errors_can_cross_threads() {
    fn assert_send<T: Send>() {}
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send::<Articles>();
    assert_send::<FoundFile>();
    assert_send_sync::<IngestError>();
}

//! Tests of `.dockerignore` reading and matching, mostly driven by the
//! upstream tables and the differential cases under `tests/data/context/`.

use super::glob::{TKind, translate};
use super::go_regexp::GoRegex;
use super::*;

// ---- data-driven tests (files under tests/data/) ----

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/context/");

/// Rows of a TAB-separated data file; lines starting with "# " are
/// comments. Fields are raw (no escaping).
fn rows(name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(format!("{DATA}{name}"))
        .unwrap_or_else(|e| panic!("reading {name}: {e}"));
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with("# "))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn show(r: Result<bool, PatternError>) -> &'static str {
    match r {
        Ok(true) => "true",
        Ok(false) => "false",
        Err(_) => "err",
    }
}

/// The walk's view: MatchesUsingParentResults with the results of every
/// ancestor directory threaded through (as the CLI's tar walk does).
fn chain(m: &Matcher, text: &str) -> Result<bool, PatternError> {
    let parent = go_dir(text.as_bytes());
    let mut info: Option<Vec<bool>> = None;
    if parent.as_slice() != b"." {
        for dir in ancestors(&parent) {
            let mut next = Vec::new();
            m.matches_with_parent(dir, info.as_deref(), Some(&mut next))?;
            info = Some(next);
        }
    }
    m.matches_with_parent(text.as_bytes(), info.as_deref(), None)
}

#[test]
fn upstream_test_matches_table() {
    let rows = rows("upstream/TestMatches.tsv");
    assert_eq!(rows.len(), 72);
    for r in &rows {
        let (text, want, pats) = (&r[0], &r[1], &r[2..]);
        let m = Matcher::new(pats).unwrap_or_else(|e| panic!("{pats:?}: {e}"));
        let ctx = format!("patterns={pats:?} text={text:?}");
        assert_eq!(
            show(m.matches_or_parent_matches(text)),
            want,
            "OrParent {ctx}"
        );
        assert_eq!(show(chain(&m, text)), want, "ParentResults {ctx}");
        let no_ctx = m.matches_with_parent(text.as_bytes(), None, None);
        assert_eq!(show(no_ctx), want, "NoContext {ctx}");
    }
}

#[test]
fn upstream_test_match_table() {
    let rows = rows("upstream/TestMatch.tsv");
    assert_eq!(rows.len(), 54);
    for r in &rows {
        let (text, want, pat) = (&r[0], r[1].as_str(), &r[2]);
        let got = match Matcher::new([pat]) {
            Err(_) => "error",
            Ok(m) => match m.matches_single_parent(text) {
                Err(_) => "error",
                Ok(b) => {
                    if b {
                        "true"
                    } else {
                        "false"
                    }
                }
            },
        };
        assert_eq!(got, want, "Match({pat:?}, {text:?})");
    }
}

#[test]
fn upstream_test_compile_table() {
    let rows = rows("upstream/TestCompile.tsv");
    assert_eq!(rows.len(), 21);
    for r in &rows {
        let (pat, kind, re) = (&r[0], r[1].as_str(), &r[2]);
        let (got_re, got_kind) = translate(&clean(pat));
        let want_kind = match kind {
            "regexpMatch" => TKind::Regex,
            "exactMatch" => TKind::Exact,
            "prefixMatch" => TKind::Prefix,
            "suffixMatch" => TKind::Suffix,
            other => panic!("unknown kind {other}"),
        };
        assert_eq!(got_kind, want_kind, "{pat}");
        if want_kind == TKind::Regex {
            assert_eq!(&got_re, re, "{pat}");
            assert!(GoRegex::compile(&got_re).is_ok(), "{pat}");
        }
    }
}

#[test]
fn upstream_misc_tests() {
    let rows = rows("upstream/misc.tsv");
    assert_eq!(rows.len(), 18);
    for r in &rows {
        let (func, text, want, pats) = (r[0].as_str(), &r[1], r[2].as_str(), &r[3..]);
        let m = Matcher::new(pats);
        let got: String = match (func, m) {
            (_, Err(_)) => "error".into(),
            ("matches", Ok(m)) => match m.matches_single_parent(text) {
                Ok(b) => b.to_string(),
                Err(_) => "error".into(),
            },
            ("or_parent", Ok(m)) => {
                // twice: upstream v0.6.0 panicked on the second call
                assert!(m.matches_or_parent_matches(text).is_err());
                match m.matches_or_parent_matches(text) {
                    Ok(b) => b.to_string(),
                    Err(_) => "error".into(),
                }
            }
            ("count", Ok(m)) => m.patterns().len().to_string(),
            ("exceptions", Ok(m)) => m.has_exceptions().to_string(),
            (other, _) => panic!("unknown func {other}"),
        };
        assert_eq!(got, want, "{func} {text:?} {pats:?}");
    }
}

#[test]
fn upstream_ignorefile_read_all() {
    let input =
        std::fs::read_to_string(format!("{DATA}upstream/ignorefile_TestReadAll.input")).unwrap();
    let want =
        std::fs::read_to_string(format!("{DATA}upstream/ignorefile_TestReadAll.expected")).unwrap();
    let got: Vec<String> = read_lines(&input)
        .unwrap()
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    assert_eq!(got, want.lines().collect::<Vec<_>>());
    assert!(read_lines("").unwrap().is_empty());
    // the file as a whole is rejected by New because of the lone "!"
    let e = Matcher::parse(&input).unwrap_err();
    assert_eq!(e.line, 8);
}

#[test]
fn differential_patterns_against_upstream() {
    let rows = rows("differential/patterns.tsv");
    assert!(rows.len() > 5000);
    // Rows share pattern lists; compiling each list once keeps this test
    // fast in debug builds, where the regex crate compiles slowly.
    let mut compiled: std::collections::HashMap<&[String], Matcher> = Default::default();
    for r in &rows {
        match r[0].as_str() {
            "e" => assert!(Matcher::new(&r[1..]).is_err(), "should fail: {:?}", &r[1..]),
            "m" => {
                let (text, pats) = (&r[1], &r[5..]);
                let m = compiled.entry(pats).or_insert_with(|| {
                    Matcher::new(pats).unwrap_or_else(|e| panic!("{pats:?}: {e}"))
                });
                let ctx = format!("patterns={pats:?} text={text:?}");
                assert_eq!(
                    show(m.matches_or_parent_matches(text)),
                    r[2],
                    "OrParent {ctx}"
                );
                assert_eq!(show(chain(m, text)), r[3], "ParentResults {ctx}");
                assert_eq!(show(m.matches_single_parent(text)), r[4], "Matches {ctx}");
            }
            other => panic!("bad row kind {other}"),
        }
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let hex: String = it.by_ref().skip(1).take_while(|c| *c != '}').collect();
                let cp = u32::from_str_radix(&hex, 16).unwrap();
                out.push(char::from_u32(cp).unwrap());
            }
            other => panic!("bad escape {other:?}"),
        }
    }
    out
}

#[test]
fn differential_ignorefile_against_upstream() {
    let rows = rows("differential/ignorefile.tsv");
    let mut current: Option<Matcher> = None;
    let mut files = 0;
    for r in &rows {
        match r[0].as_str() {
            "f" => {
                files += 1;
                let text = unescape(&r[1]);
                let parsed = Matcher::parse(&text);
                assert_eq!(parsed.is_ok(), r[2] == "ok", "{text:?}: {parsed:?}");
                let lines: Vec<String> = read_lines(&text)
                    .unwrap()
                    .into_iter()
                    .map(|(_, p)| p)
                    .collect();
                let want: Vec<String> = r[3..].iter().filter(|p| !p.is_empty()).cloned().collect();
                assert_eq!(lines, want, "{text:?}");
                current = parsed.ok();
            }
            "m" => {
                let m = current.as_ref().expect("m row after a failing file");
                let text = &r[1];
                assert_eq!(show(m.matches_or_parent_matches(text)), r[2], "{text}");
                assert_eq!(show(chain(m, text)), r[3], "{text}");
                assert_eq!(show(m.matches_single_parent(text)), r[4], "{text}");
            }
            other => panic!("bad row kind {other}"),
        }
    }
    assert!(files >= 500);
}

#[test]
fn docktutor_cases() {
    let rows = rows("docktutor_cases.tsv");
    assert!(rows.len() >= 50);
    for r in &rows {
        let (text, want, lines) = (&r[0], &r[1], &r[2..]);
        let m = Matcher::parse(&lines.join("\n")).unwrap_or_else(|e| panic!("{lines:?}: {e}"));
        assert_eq!(m.is_excluded(text).to_string(), *want, "{lines:?} {text:?}");
    }
}

fn m(patterns: &[&str]) -> Matcher {
    Matcher::new(patterns).unwrap()
}

#[test]
fn clean_matches_go() {
    let cases = [
        ("", "."),
        (".", "."),
        ("./", "."),
        ("/", "/"),
        ("//a//b/", "/a/b"),
        ("a/./b", "a/b"),
        ("a/../b", "b"),
        ("../a", "../a"),
        ("a/../..", ".."),
        ("/../a", "/a"),
        ("abc/def/../../..", ".."),
        ("!../..", "."),
        ("!../../x", "x"),
        ("a/b/c/../../d", "a/d"),
        ("node_modules/", "node_modules"),
    ];
    for (input, want) in cases {
        assert_eq!(clean(input), want, "clean({input:?})");
    }
}

#[test]
fn translation_matches_upstream_compile_table() {
    // From patternmatcher_test.go compileTests (slash variant).
    let cases = [
        ("*", TKind::Regex, r"^[^/]*$"),
        ("file*", TKind::Regex, r"^file[^/]*$"),
        ("**", TKind::Suffix, ""),
        ("**/**", TKind::Regex, r"^(.*/)?.*$"),
        ("dir/**", TKind::Prefix, ""),
        ("**/dir2/*", TKind::Regex, r"^(.*/)?dir2/[^/]*$"),
        ("**/**/*.txt", TKind::Regex, r"^(.*/)?(.*/)?[^/]*\.txt$"),
        (".*", TKind::Regex, r"^\.[^/]*$"),
        ("abc.def", TKind::Exact, ""),
        ("a(b)c/def", TKind::Exact, ""),
        ("**/foo/bar", TKind::Suffix, ""),
    ];
    for (p, kind, re) in cases {
        let (got, k) = translate(&clean(p));
        assert_eq!(k, kind, "{p}");
        if kind == TKind::Regex {
            assert_eq!(got, re, "{p}");
        }
    }
}

#[test]
fn node_modules_exception() {
    let mm = Matcher::parse("node_modules\n!node_modules/keep.txt\n").unwrap();
    assert!(mm.is_excluded("node_modules"));
    assert!(mm.is_excluded("node_modules/x/y.js"));
    assert!(!mm.is_excluded("node_modules/keep.txt"));
    assert!(mm.could_reinclude_under("node_modules"));
    assert!(!mm.could_reinclude_under("node_module"));
    assert!(!mm.could_reinclude_under("src"));
}

#[test]
fn reinclude_rule_is_a_string_prefix() {
    let mm = m(&["a", "!**/keep", "!a/b/c"]);
    assert!(mm.could_reinclude_under("a"));
    assert!(mm.could_reinclude_under("a/b"));
    assert!(mm.could_reinclude_under("a/b/c"));
    assert!(!mm.could_reinclude_under("a/b/c/d"));
    assert!(!mm.could_reinclude_under("x"));
    let none = m(&["a", "!**/keep"]);
    assert!(!none.could_reinclude_under("a"));
}

#[test]
fn single_bang_is_an_error_with_line() {
    let e = Matcher::parse("ok\n\n!\n").unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.to_string().contains("line 3"), "{e}");
    let e = Matcher::parse("# c\n!/\n").unwrap_err();
    assert_eq!(e.line, 2, "`!/` cleans to `!` in New");
}

#[test]
fn bad_glob_syntax_is_an_error() {
    for p in ["[", "a[", "[]a]", "[-]", "[x-]", "a\\", "[^bc", "x*["] {
        let e = Matcher::parse(p).unwrap_err();
        assert_eq!(e.line, 1, "{p}");
        assert!(e.message.contains("syntax error"), "{p}: {e}");
    }
}

#[test]
fn regex_errors_surface_only_when_evaluated() {
    // `[z-a]` passes filepath.Match's check but Go's regexp rejects it.
    let mm = m(&["[z-a]"]);
    assert!(mm.matches_or_parent_matches("x").is_err());
    assert!(!mm.is_excluded("x"));
    // an exception that is never reached is never compiled upstream
    let mm = m(&["foo", "![z-a]"]);
    assert_eq!(mm.matches_or_parent_matches("bar"), Ok(false));
    assert!(mm.matches_or_parent_matches("foo").is_err());
}

#[test]
fn go_regex_quirks_leak_through() {
    // `*` inside a class becomes `[^/]*`, changing the class.
    let mm = m(&["[*]"]);
    assert!(mm.is_excluded("]"));
    assert!(mm.is_excluded("^^]"));
    assert!(!mm.is_excluded("*"));
    // `!` is not a negation inside a class
    let mm = m(&["[!a]x"]);
    assert!(mm.is_excluded("!x"));
    assert!(mm.is_excluded("ax"));
    assert!(!mm.is_excluded("bx"));
    // escapes are passed to the regexp: `\d` is a digit class
    let mm = m(&["file\\d"]);
    assert!(mm.is_excluded("file7"));
    assert!(!mm.is_excluded("filed"));
    // POSIX classes work because Go's regexp knows them
    let mm = m(&["[[:digit:]]*"]);
    assert!(mm.is_excluded("1abc"));
    assert!(!mm.is_excluded("abc"));
    // `**file` is a plain suffix test
    let mm = m(&["**file"]);
    assert!(mm.is_excluded("myfile"));
    // raw `^` is an anchor inside a regexp but literal in exact patterns
    assert!(m(&["a^b"]).is_excluded("a^b"));
    assert!(!m(&["a^b*"]).is_excluded("a^bc"));
}

#[test]
fn comments_only_at_line_start() {
    let mm = Matcher::parse("#comment\n  #notcomment\n").unwrap();
    assert_eq!(mm.patterns().len(), 1);
    assert_eq!(mm.patterns()[0].text(), "#notcomment");
    assert!(mm.is_excluded("#notcomment"));
    assert!(!mm.is_excluded("#comment"));
}

#[test]
fn bom_crlf_and_whitespace() {
    let mm = Matcher::parse("\u{feff}# c\r\n  *.log \r\n\t!keep.log\r\n").unwrap();
    assert_eq!(mm.patterns().len(), 2);
    assert!(mm.is_excluded("a.log"));
    assert!(!mm.is_excluded("keep.log"));
    // BOM only stripped on the first line
    let mm = Matcher::parse("a\n\u{feff}b\n").unwrap();
    assert!(mm.is_excluded("a"));
    assert!(!mm.is_excluded("b"));
}

#[test]
fn slashes_and_dots() {
    let mm = Matcher::parse("/build/\n./dist\nsub/../tmp\n").unwrap();
    let texts: Vec<&str> = mm.patterns().iter().map(|p| p.text()).collect();
    assert_eq!(texts, ["build", "dist", "tmp"]);
    assert!(mm.is_excluded("build/x"));
    assert!(mm.is_excluded("./dist"));
    assert!(mm.is_excluded("tmp/a/b"));
    assert!(!mm.is_excluded("."));
}

#[test]
fn double_star_positions() {
    let start = m(&["**/*.pyc"]);
    assert!(start.is_excluded("a.pyc"));
    assert!(start.is_excluded("x/y/a.pyc"));
    let middle = m(&["src/**/test"]);
    assert!(middle.is_excluded("src/test"));
    assert!(middle.is_excluded("src/a/b/test/file"));
    assert!(!middle.is_excluded("test"));
    let end = m(&["logs/**"]);
    assert!(end.is_excluded("logs/a/b"));
    assert!(!end.is_excluded("logs"));
}

#[test]
fn md_root_vs_docs() {
    let root = m(&["*.md"]);
    assert!(root.is_excluded("README.md"));
    assert!(!root.is_excluded("docs/guide.md"));
    let docs = m(&["docs/*.md"]);
    assert!(docs.is_excluded("docs/guide.md"));
    assert!(!docs.is_excluded("README.md"));
    assert!(!docs.is_excluded("docs/sub/guide.md"));
}

#[test]
fn single_parent_legacy_matches() {
    let mm = m(&["**/c"]);
    // MatchesOrParentMatches sees the `a/b/c` ancestor...
    assert!(mm.is_excluded("a/b/c/Dockerfile"));
    // ...the legacy single-parent check only tries `a/b` (2 components).
    assert_eq!(mm.matches_single_parent("a/b/c/Dockerfile"), Ok(false));
}

#[test]
fn go_regexp_rules() {
    let p = GoRegex::compile("^(.*/)?a[^/]*$").unwrap();
    assert!(p.is_match(b"a"));
    assert!(p.is_match(b"x/y/abc"));
    assert!(!p.is_match(b"x/b"));
    assert!(!p.is_match(b"a/b"));
    let p = GoRegex::compile("^a.*$").unwrap();
    assert!(!p.is_match(b"a\nb"), "`.` does not match newline");
    let p = GoRegex::compile("^a[^x]b$").unwrap();
    assert!(p.is_match(b"a\nb"), "negated class matches newline");
    assert!(GoRegex::compile("^a**$").is_err());
    assert!(GoRegex::compile("^\\q$").is_err());
    assert!(GoRegex::compile("^[z-a]$").is_err());
    let p = GoRegex::compile("^\\Qa.b$").unwrap();
    assert!(p.is_match(b"a.b$"));
    let p = GoRegex::compile("^\\x41\\101\\t$").unwrap();
    assert!(p.is_match(b"AA\t"));
    let p = GoRegex::compile("^a\\b-$").unwrap();
    assert!(p.is_match(b"a-"));
    let p = GoRegex::compile("^[^a]$").unwrap();
    assert!(p.is_match(b"\xff"), "invalid byte decodes as U+FFFD");
}

/// Where Go's syntax and the `regex` crate's differ, Go's reading wins.
#[test]
fn go_regexp_dialect_differences() {
    let go = |re: &str| GoRegex::compile(re).unwrap_or_else(|e| panic!("{re}: {e}"));
    // `[` inside a class is a literal in Go (Rust would nest a class), and
    // `&&` / `--` / `~~` are not set operations.
    let p = go("^[a[^/]*]$");
    assert!(p.is_match(b"[]"));
    assert!(p.is_match(b"^^]"));
    assert!(!p.is_match(b"b]"));
    assert!(go("^[a&&b]$").is_match(b"&"));
    assert!(go("^[~~]$").is_match(b"~"));
    // Perl classes and word boundaries are ASCII-only in Go.
    assert!(!go("^\\d$").is_match("٣".as_bytes()));
    assert!(go("^\\D$").is_match("٣".as_bytes()));
    assert!(!go("^\\w$").is_match("é".as_bytes()));
    assert!(!go("^é\\b").is_match("é".as_bytes()));
    assert!(go("a\\b").is_match("aé".as_bytes()));
    // Go rejects nested repetition and counts over 1000; Rust would not.
    for bad in ["^a**$", "^a*{2}$", "^a{1001}$", "^a{2,1}$", "^a|*b$"] {
        assert!(GoRegex::compile(bad).is_err(), "{bad}");
    }
    // `{` that does not start a count is a literal (an error in Rust).
    assert!(go("^a{$").is_match(b"a{"));
    assert!(go("^a{1,x}$").is_match(b"a{1,x}"));
    assert!(go("^a{01}$").is_match(b"a{01}"));
    assert!(go("^a{2}$").is_match(b"aa"));
    // after an empty \Q\E a repetition may repeat a repetition, with Go's
    // limit on the product of the counts
    assert!(go("^a*\\Q\\E*$").is_match(b"aaa"));
    assert!(go("^a{10}\\Q\\E{10}$").is_match(&[b'a'; 100]));
    assert!(GoRegex::compile("^a{100}\\Q\\E{100}$").is_err());
    // an assertion can be repeated
    assert!(go("^^{2}a$").is_match(b"a"));
    // a surrogate is a valid Go escape that no text matches
    assert!(!go("^\\x{D800}$").is_match("\u{FFFD}".as_bytes()));
    assert!(go("^[\\x{D7FF}-\\x{E000}]$").is_match("\u{E000}".as_bytes()));
    // each byte of a broken UTF-8 sequence is one U+FFFD, as in Go
    assert!(!go("^[^/]$").is_match(b"\xe2\x82"));
    assert!(go("^[^/][^/]$").is_match(b"\xe2\x82"));
    assert!(go("^\u{FFFD}x$").is_match(b"\xffx"));
    // what Go does not support is still refused
    assert!(GoRegex::compile("^\\pL$").is_err());
    assert!(GoRegex::compile("^\\C$").is_err());
    assert!(GoRegex::compile("^\\Z$").is_err());
}

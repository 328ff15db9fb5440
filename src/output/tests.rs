use ratatui::style::{Color, Modifier};

use super::*;

fn text(sb: &Scrollback) -> String {
    sb.plain_text()
}

#[test]
fn plain_lines() {
    let mut sb = Scrollback::default();
    sb.push_str("one\ntwo\nthree");
    assert_eq!(text(&sb), "one\ntwo\nthree\n");
    assert_eq!(sb.len(), 3);
}

#[test]
fn carriage_return_progress_is_one_line() {
    let mut sb = Scrollback::default();
    for pct in 0..=100 {
        sb.push_str(&format!("\rDownloading {pct:3}%"));
    }
    sb.push_str("\n");
    assert_eq!(text(&sb), "Downloading 100%\n");
}

#[test]
fn crlf_keeps_text() {
    let mut sb = Scrollback::default();
    sb.push_str("a\r\nb\r\n");
    assert_eq!(text(&sb), "a\nb\n");
}

#[test]
fn erase_in_line_clears_leftovers() {
    let mut sb = Scrollback::default();
    sb.push_str("long old text\rnew\x1b[K\n");
    assert_eq!(text(&sb), "new\n");
}

#[test]
fn colours_are_kept_as_styles() {
    let mut sb = Scrollback::default();
    sb.push_str("\x1b[1;31mred\x1b[0m plain\n");
    let line = &sb.window(0, 1)[0];
    assert_eq!(line.spans[0].1, "red");
    assert_eq!(line.spans[0].0.fg, Some(Color::Indexed(1)));
    assert!(line.spans[0].0.add_modifier.contains(Modifier::BOLD));
    assert_eq!(line.spans[1].0, Style::default());
}

#[test]
fn extended_colours() {
    let mut sb = Scrollback::default();
    sb.push_str("\x1b[38;5;208mo\x1b[48;2;1;2;3mr\n");
    let line = &sb.window(0, 1)[0];
    assert_eq!(line.spans[0].0.fg, Some(Color::Indexed(208)));
    assert_eq!(line.spans[1].0.bg, Some(Color::Rgb(1, 2, 3)));
}

#[test]
fn hostile_sequences_are_dropped() {
    let mut sb = Scrollback::default();
    let hostile = concat!(
        "\x1b]0;pwned title\x07",                      // window title (OSC 0)
        "\x1b]52;c;aGVsbG8=\x07",                      // clipboard write (OSC 52)
        "\x1b[2J\x1b[H",                               // clear screen, cursor home
        "\x1b[10;10H",                                 // cursor move
        "\x1b[?1049h",                                 // alternate screen
        "\x1b[?25l",                                   // hide cursor
        "\x1bP+q544e\x1b\\",                           // DCS request
        "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", // hyperlink: text kept
        "\x07\x00\x1b7\x1b8",                          // bell, NUL, save/restore cursor
        "\u{9b}31m",                                   // C1 CSI as a character
        "\u{202e}safe\n",                              // right-to-left override
    );
    sb.push_str(hostile);
    assert_eq!(text(&sb), "link31msafe\n");
}

#[test]
fn invalid_utf8_becomes_replacement_characters() {
    let mut sb = Scrollback::default();
    sb.push_bytes(b"ok \xff\xfe end\n");
    assert_eq!(text(&sb), "ok \u{fffd}\u{fffd} end\n");
}

#[test]
fn a_huge_line_is_cut() {
    let mut sb = Scrollback::new(100, 50);
    sb.push_str(&"x".repeat(10_000_000));
    sb.push_str("\nnext\n");
    let lines = sb.window(0, 10);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].text(), format!("{} …", "x".repeat(50)));
    assert_eq!(lines[1].text(), "next");
}

#[test]
fn scrollback_is_bounded_and_counts_drops() {
    let mut sb = Scrollback::new(100, 80);
    for i in 0..1000 {
        sb.push_str(&format!("line {i}\n"));
    }
    assert_eq!(sb.len(), 100);
    assert_eq!(sb.dropped(), 900);
    assert_eq!(sb.window(0, 1)[0].text(), "line 900");
}

#[test]
fn tabs_expand() {
    let mut sb = Scrollback::default();
    sb.push_str("a\tb\n");
    assert_eq!(text(&sb), "a       b\n");
}

#[test]
fn sequences_split_across_chunks_still_parse() {
    let mut sb = Scrollback::default();
    sb.push_bytes(b"\x1b[3");
    sb.push_bytes(b"2mgreen\x1b");
    sb.push_bytes(b"[0m\n");
    let line = &sb.window(0, 1)[0];
    assert_eq!(line.text(), "green");
    assert_eq!(line.spans[0].0.fg, Some(Color::Indexed(2)));
}

#[test]
fn notes_keep_their_meaning_not_a_colour() {
    let mut sb = Scrollback::default();
    sb.push_str("half a line");
    sb.push_note(Note::Pass, "✓ built\x07 app");
    let lines = sb.window(0, 2);
    assert_eq!(lines[0].note, None, "the unfinished line is finished first");
    assert_eq!(lines[1].note, Some(Note::Pass));
    assert_eq!(
        lines[1].spans,
        vec![(Style::default(), "✓ built app".into())]
    );
}

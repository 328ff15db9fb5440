//! Plain text for plain mode: word wrapping, the terminal's width, and a
//! cleaner that leaves nothing a screen reader or a serial console would
//! trip over — no control characters (so no escape sequences), no box
//! drawing, and the app's ✓/✗ marks as words.

use std::sync::OnceLock;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Wrapping width when the terminal does not say (a file, a pipe, a serial line).
pub const DEFAULT_WIDTH: usize = 80;

/// The terminal's width when stdout is one that says (asked with an ioctl,
/// which writes nothing), else `$COLUMNS`, else 80.
pub fn width() -> usize {
    use std::io::IsTerminal;
    let from_tty = std::io::stdout()
        .is_terminal()
        .then(ratatui::crossterm::terminal::size)
        .and_then(Result::ok)
        .map(|(cols, _)| cols as usize)
        .filter(|&c| c > 0);
    let from_env = || {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
    };
    from_tty
        .or_else(from_env)
        .unwrap_or(DEFAULT_WIDTH)
        .clamp(20, 200)
}

/// Word-wraps `text` to `width` columns: the first line starts with
/// `first`, the others with `next`. Words longer than a line stand alone
/// on theirs (never cut: a path or a command stays whole to copy).
pub fn wrap(text: &str, width: usize, first: &str, next: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let fits = line.width() + 1 + word.width() <= width;
        if !empty && !fits {
            lines.push(std::mem::replace(&mut line, next.to_string()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    if !empty {
        lines.push(line);
    }
    lines
}

/// One line of text made plain: control characters dropped (tabs become
/// spaces), box drawing as ASCII, the app's marks as words.
pub fn clean(line: &str) -> String {
    let line = line
        .strip_prefix("✓ ")
        .map(|rest| format!("ok: {rest}"))
        .or_else(|| {
            line.strip_prefix("✗ ")
                .map(|rest| format!("failed: {rest}"))
        })
        .unwrap_or_else(|| line.to_string());
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\t' => out.push_str("    "),
            '✓' => out.push_str("ok"),
            '✗' => out.push('x'),
            '…' => out.push_str("..."),
            '→' => out.push_str("->"),
            '←' => out.push_str("<-"),
            '·' => out.push('-'),
            // Box drawing: corners and crossings as +, lines as - and |.
            '\u{2500}'..='\u{257F}' => out.push(box_char(c)),
            // Block elements, geometric shapes (spinner dots, ◌) and braille.
            '\u{2580}'..='\u{25FF}' | '\u{2800}'..='\u{28FF}' => out.push('*'),
            c if c.is_control() => {}
            c if c.width().is_none() => {}
            c => out.push(c),
        }
    }
    out
}

fn box_char(c: char) -> char {
    match c {
        '─' | '━' | '═' | '╌' | '╍' | '┄' | '┅' | '┈' | '┉' => '-',
        '│' | '┃' | '║' | '╎' | '╏' | '┆' | '┇' | '┊' | '┋' => '|',
        _ => '+',
    }
}

/// The lessons and the app's sentences name keys ("press n"); plain mode
/// has commands instead, so those sentences name the command.
pub fn keys_to_commands(text: &str) -> String {
    static KEYS: OnceLock<regex::Regex> = OnceLock::new();
    let re = KEYS.get_or_init(|| {
        regex::Regex::new(
            r"\b([Pp])ress (?:\*\*)?(Enter|: and type|:|\?|[nbrichswlopxe])(?:\*\*)?(\W|$)",
        )
        .expect("a valid regex")
    });
    re.replace_all(text, |caps: &regex::Captures<'_>| {
        let command = match &caps[2] {
            "Enter" => "do",
            // "press : and type docker build …": the command is typed as is.
            ": and type" => "",
            ":" => "a docker command",
            "?" => "help",
            "n" => "next",
            "b" => "build",
            "r" => "run",
            "i" => "images",
            "c" => "check",
            "h" => "hint",
            "e" => "edit",
            "s" => "solution",
            "w" => "write",
            "l" => "lessons",
            "o" => "load FILE",
            "p" => "back",
            "x" => "stop",
            _ => return caps[0].to_string(),
        };
        let t = if &caps[1] == "P" { "Type" } else { "type" };
        let spaced = if command.is_empty() { "" } else { " " };
        format!("{t}{spaced}{command}{}", &caps[3])
    })
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_with_a_hanging_indent_and_keeps_long_words_whole() {
        let lines = wrap("one two three four five six", 12, "- ", "  ");
        assert_eq!(lines, ["- one two", "  three four", "  five six"]);
        let lines = wrap("a /a/very/long/path/that/does/not/fit b", 10, "", "");
        assert_eq!(lines, ["a", "/a/very/long/path/that/does/not/fit", "b"]);
        assert!(wrap("   ", 10, "- ", "  ").is_empty());
    }

    #[test]
    fn clean_leaves_no_escape_and_no_box_drawing() {
        assert_eq!(clean("✓ built app 0123"), "ok: built app 0123");
        assert_eq!(clean("✗ build failed"), "failed: build failed");
        let dirty = "\x1b[31m┌─┐│x│└─┘\x07 ◌ ⠋ …\tend";
        let plain = clean(dirty);
        assert!(
            !plain.contains('\x1b') && !plain.contains('\x07'),
            "{plain}"
        );
        assert!(
            !plain
                .chars()
                .any(|c| ('\u{2500}'..='\u{25FF}').contains(&c)),
            "{plain}"
        );
        assert_eq!(plain, "[31m+-+|x|+-+ * * ...    end");
    }

    #[test]
    fn keys_become_commands() {
        assert_eq!(
            keys_to_commands("✓ lesson passed — press n for the next lesson"),
            "✓ lesson passed — type next for the next lesson"
        );
        assert_eq!(
            keys_to_commands("Press **Enter** (or `b`) and watch; press c."),
            "Type do (or `b`) and watch; type check."
        );
        assert_eq!(keys_to_commands("press nothing"), "press nothing");
        assert_eq!(
            keys_to_commands("Press : and type docker images"),
            "Type docker images"
        );
    }
}

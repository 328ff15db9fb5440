//! Select Graphic Rendition: the colour and emphasis codes we keep.

use ratatui::style::{Color, Modifier, Style};

pub fn apply(mut style: Style, params: &vte::Params) -> Style {
    let flat: Vec<u16> = params.iter().flat_map(|p| p.iter().copied()).collect();
    if flat.is_empty() {
        return Style::default();
    }
    let mut i = 0;
    while i < flat.len() {
        let p = flat[i];
        match p {
            0 => style = Style::default(),
            1 => style = style.add_modifier(Modifier::BOLD),
            2 => style = style.add_modifier(Modifier::DIM),
            3 => style = style.add_modifier(Modifier::ITALIC),
            4 => style = style.add_modifier(Modifier::UNDERLINED),
            7 => style = style.add_modifier(Modifier::REVERSED),
            22 => style = style.remove_modifier(Modifier::BOLD | Modifier::DIM),
            23 => style = style.remove_modifier(Modifier::ITALIC),
            24 => style = style.remove_modifier(Modifier::UNDERLINED),
            27 => style = style.remove_modifier(Modifier::REVERSED),
            30..=37 => style.fg = Some(Color::Indexed((p - 30) as u8)),
            39 => style.fg = None,
            40..=47 => style.bg = Some(Color::Indexed((p - 40) as u8)),
            49 => style.bg = None,
            90..=97 => style.fg = Some(Color::Indexed((p - 90 + 8) as u8)),
            100..=107 => style.bg = Some(Color::Indexed((p - 100 + 8) as u8)),
            38 | 48 => {
                let (color, used) = extended(&flat[i + 1..]);
                if let Some(c) = color {
                    if p == 38 {
                        style.fg = Some(c);
                    } else {
                        style.bg = Some(c);
                    }
                }
                i += used;
            }
            // Blink, hidden, strike and the rest carry nothing we want.
            _ => {}
        }
        i += 1;
    }
    style
}

/// `5;n` or `2;r;g;b` after a 38/48; returns the colour and how many
/// parameters it used.
fn extended(rest: &[u16]) -> (Option<Color>, usize) {
    match rest {
        [5, n, ..] => (Some(Color::Indexed(*n as u8)), 2),
        [2, r, g, b, ..] => (Some(Color::Rgb(*r as u8, *g as u8, *b as u8)), 4),
        [5] | [2, ..] => (None, rest.len()),
        _ => (None, 0),
    }
}

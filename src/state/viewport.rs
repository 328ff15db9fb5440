//! The screen as the last draw left it, in plain figures: where each pane
//! is, how many lines it shows and how many its content has. The view
//! returns them from every draw and the event loop hands them to `update`
//! (`Msg::Drawn`), which scrolls, pages and finds the pane under the mouse
//! with them — so input and drawing agree without `update` laying out or
//! rendering anything itself.

use super::model::Pane;

/// A rectangle of terminal cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Region {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Region {
    pub fn contains(&self, x: u16, y: u16) -> bool {
        x >= self.x
            && x < self.x.saturating_add(self.width)
            && y >= self.y
            && y < self.y.saturating_add(self.height)
    }
}

/// One pane at the last draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PaneFigures {
    /// Where the pane is, border included (empty when it is not shown).
    pub area: Region,
    /// Lines visible inside its border.
    pub height: usize,
    /// Lines its content takes at the pane's width.
    pub content: usize,
}

impl PaneFigures {
    /// Whether the pane was on screen (a zoom hides the others).
    pub fn shown(&self) -> bool {
        self.area.width > 0 && self.area.height > 0
    }

    /// How far the pane can scroll: content lines minus visible lines.
    pub fn max_scroll(&self) -> usize {
        self.content.saturating_sub(self.height)
    }
}

/// Every pane at the last draw. Before the first draw all figures are zero:
/// nothing scrolls and the mouse is over no pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Viewport {
    pub lesson: PaneFigures,
    pub checks: PaneFigures,
    pub output: PaneFigures,
}

impl Viewport {
    pub fn pane(&self, pane: Pane) -> &PaneFigures {
        match pane {
            Pane::Lesson => &self.lesson,
            Pane::Checks => &self.checks,
            Pane::Output => &self.output,
        }
    }

    /// The pane under a screen position (for the mouse wheel).
    pub fn pane_at(&self, x: u16, y: u16) -> Option<Pane> {
        [Pane::Lesson, Pane::Checks, Pane::Output]
            .into_iter()
            .find(|p| self.pane(*p).area.contains(x, y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_contain_their_cells_only() {
        let r = Region {
            x: 2,
            y: 1,
            width: 3,
            height: 2,
        };
        assert!(r.contains(2, 1) && r.contains(4, 2));
        assert!(!r.contains(5, 1) && !r.contains(2, 3) && !r.contains(1, 1));
        assert!(
            !Region::default().contains(0, 0),
            "an empty pane has no cells"
        );
    }

    #[test]
    fn the_mouse_finds_the_pane_under_it() {
        let mut v = Viewport::default();
        v.checks.area = Region {
            x: 0,
            y: 10,
            width: 80,
            height: 5,
        };
        assert_eq!(v.pane_at(3, 12), Some(Pane::Checks));
        assert_eq!(v.pane_at(3, 2), None);
    }
}

//! How a list of cards is cut into pages: the number of columns and the rows of each page that
//! fit the room the window leaves, every row as tall as its tallest card needs (a long name
//! makes its own row taller, not every row). Computed from the window's size each time the
//! list is drawn, so a portrait panel, a small monitor or a large one each get the fewest
//! pages that still read well.

use std::ops::Range;

use iced::Size;

/// What a list asks of the page.
pub struct Demand<'a> {
    /// How many cards there are in all.
    pub count: usize,
    /// Space between cards, both ways.
    pub gap: f32,
    /// A column narrower than this reads badly, whatever the height.
    pub min_column_width: f32,
    pub max_columns: usize,
    /// The height card `index` needs in a column of the given width.
    pub card_height: &'a dyn Fn(usize, f32) -> f32,
    /// The room the pager takes below the cards, its gap included, when there are pages.
    pub pager_height: f32,
}

/// A list cut into pages.
#[derive(Clone, Debug, PartialEq)]
pub struct Paging {
    pub columns: usize,
    count: usize,
    pages: Vec<Page>,
}

/// One page: where its cards start and the height each of its rows needs.
#[derive(Clone, Debug, PartialEq)]
struct Page {
    first: usize,
    rows: Vec<f32>,
}

impl Paging {
    /// How many pages there are (one at least, even for an empty list).
    pub fn len(&self) -> usize {
        self.pages.len().max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The page on show when the visitor asked for `page`: the last one at most.
    pub fn clamp(&self, page: usize) -> usize {
        page.min(self.len() - 1)
    }

    /// The cards on `page`.
    pub fn cards(&self, page: usize) -> Range<usize> {
        match self.pages.get(self.clamp(page)) {
            Some(shown) => {
                let end = shown.first + shown.rows.len() * self.columns;
                shown.first..end.min(self.count)
            }
            None => 0..0,
        }
    }

    /// The height each row of `page` needs.
    pub fn rows(&self, page: usize) -> &[f32] {
        self.pages
            .get(self.clamp(page))
            .map_or(&[], |shown| shown.rows.as_slice())
    }

    /// The page `card` is on.
    pub fn page_of(&self, card: usize) -> usize {
        (0..self.len())
            .find(|&page| self.cards(page).contains(&card))
            .unwrap_or(0)
    }
}

/// The width of one of `columns` columns across `width`.
pub fn column_width(width: f32, columns: usize, gap: f32) -> f32 {
    let columns = columns.max(1) as f32;
    (width - gap * (columns - 1.0)) / columns
}

/// The paging with the fewest pages; of those, the one that shows the most on the first page
/// (where most visitors find their card), then the one with the fewest columns (wider cards).
pub fn paginate(area: Size, demand: &Demand) -> Paging {
    (1..=demand.max_columns.max(1))
        .filter(|&columns| {
            columns == 1 || column_width(area.width, columns, demand.gap) >= demand.min_column_width
        })
        .map(|columns| paging_with(columns, area, demand))
        .min_by_key(|paging| {
            let first = paging.cards(0).len();
            (paging.len(), std::cmp::Reverse(first), paging.columns)
        })
        .unwrap_or(Paging {
            columns: 1,
            count: 0,
            pages: Vec::new(),
        })
}

fn paging_with(columns: usize, area: Size, demand: &Demand) -> Paging {
    let width = column_width(area.width, columns, demand.gap);
    let rows: Vec<f32> = (0..demand.count)
        .step_by(columns)
        .map(|first| {
            (first..(first + columns).min(demand.count))
                .map(|card| (demand.card_height)(card, width))
                .fold(0.0, f32::max)
        })
        .collect();
    let on_one_page = rows.iter().sum::<f32>() + demand.gap * rows.len().saturating_sub(1) as f32;
    let room = if on_one_page <= area.height {
        area.height
    } else {
        area.height - demand.pager_height
    };
    let mut pages: Vec<Page> = Vec::new();
    let mut used = f32::INFINITY;
    for (row, height) in rows.into_iter().enumerate() {
        let needed = used + demand.gap + height;
        match pages.last_mut() {
            // A row that does not fit starts a page; a page holds one row at least.
            Some(page) if needed <= room => {
                page.rows.push(height);
                used = needed;
            }
            _ => {
                pages.push(Page {
                    first: row * columns,
                    rows: vec![height],
                });
                used = height;
            }
        }
    }
    Paging {
        columns,
        count: demand.count,
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demand(count: usize, card_height: &dyn Fn(usize, f32) -> f32) -> Demand<'_> {
        Demand {
            count,
            gap: 10.0,
            min_column_width: 300.0,
            max_columns: 3,
            card_height,
            pager_height: 90.0,
        }
    }

    #[test]
    fn a_short_list_takes_one_page_in_one_column() {
        let card = |_: usize, _: f32| 90.0;
        let paging = paginate(Size::new(1000.0, 600.0), &demand(5, &card));
        assert_eq!((paging.columns, paging.len()), (1, 1));
        assert_eq!(paging.cards(0), 0..5);
    }

    #[test]
    fn a_long_list_takes_more_columns_for_fewer_pages() {
        // Names wrap to two lines in narrow columns: a card needs more height there.
        let card = |_: usize, width: f32| if width < 400.0 { 140.0 } else { 90.0 };
        let paging = paginate(Size::new(1000.0, 600.0), &demand(20, &card));
        assert_eq!(
            paging.columns, 2,
            "two columns hold 10 a page, one 5, three 9"
        );
        assert_eq!(paging.len(), 2);
        assert_eq!(paging.cards(1), 10..20);
        assert_eq!(paging.page_of(12), 1);
    }

    #[test]
    fn a_tall_card_makes_only_its_own_row_taller() {
        let card = |index: usize, _: f32| if index == 0 { 200.0 } else { 90.0 };
        let paging = paginate(Size::new(320.0, 700.0), &demand(12, &card));
        assert_eq!(paging.rows(0), [200.0, 90.0, 90.0, 90.0, 90.0]);
        assert_eq!(
            paging.cards(1),
            5..11,
            "six rows of 90 and the pager in 700"
        );
    }

    #[test]
    fn the_pager_takes_its_room_only_when_there_are_pages() {
        let card = |_: usize, _: f32| 100.0;
        let one_page = paginate(Size::new(320.0, 540.0), &demand(5, &card));
        assert_eq!(one_page.cards(0), 0..5);
        let paged = paginate(Size::new(320.0, 540.0), &demand(6, &card));
        assert_eq!(paged.cards(0), 0..4, "90 px of the 540 go to the pager");
    }

    #[test]
    fn a_page_asked_for_beyond_the_end_is_the_last_and_nothing_fitting_still_shows_a_card() {
        let card = |_: usize, _: f32| 1000.0;
        let paging = paginate(Size::new(200.0, 100.0), &demand(3, &card));
        assert_eq!(paging.len(), 3);
        assert_eq!(paging.cards(usize::MAX), 2..3);
    }
}

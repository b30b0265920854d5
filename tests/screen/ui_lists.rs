//! The lists use the room the window gives: at every size they show at least twice as many
//! services and agencies a page as the fixed rows and tiles did (or all of them), and every
//! service of every agency in the shipped catalog is at most three taps away from the agency
//! (its tile, a page number, the service).
//! Counted on the real views laid out by iced's simulator.

use crate::support;

use std::collections::{BTreeSet, VecDeque};
use std::time::Duration;

use iced::{Event, Size, mouse};
use iced_test::Simulator;

use crate::common::instant;
use mpp_core::lang::Language;
use mpp_kiosk::ui::app::Kiosk;
use mpp_kiosk::ui::screen::{Context, agencies, services};
use mpp_station::printer::PrinterHandle;
use mpp_station::store::Store;
use support::TestPrinter;
use support::audit::{panels, snapshot, survey};

/// The kiosk with the shipped catalog on a Monday morning, on its welcome screen.
fn kiosk() -> (Kiosk, tempfile::TempDir) {
    let folder = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&folder.path().join("kiosk.db")).expect("store");
    let printer = PrinterHandle::start(Box::new(TestPrinter::ready()));
    printer.wait_first_status(Duration::from_secs(1));
    let now = instant("2026-11-23T09:30:00+07:00");
    let (kiosk, _counts) = support::kiosk_with(
        store,
        printer,
        now,
        support::shipped_catalog(),
        support::kiosk_settings(),
    );
    (kiosk, folder)
}

/// What the list showed with its fixed rows, before it measured the window: three services a
/// page at 1280x720. The header was 104 px and the list's padding 24.
fn fixed_rows_per_page((_, height): (f32, f32)) -> usize {
    let area = height - 104.0 - 48.0;
    (((area - 120.0) / 130.0) as usize).clamp(2, 12)
}

fn fixed_agency_tiles_per_page((width, height): (f32, f32)) -> usize {
    let area = Size::new(width - 48.0, height - 104.0 - 48.0);
    let columns = ((area.width / 290.0) as usize).clamp(2, 5);
    let rows = (((area.height - 110.0) / 190.0) as usize).clamp(2, 6);
    columns * rows
}

/// How many of `names` the screen shows whole (as a text of their own: "PN" is not "BPN").
fn shown(layout: &support::audit::Layout, names: &[&str]) -> usize {
    names
        .iter()
        .filter(|name| layout.shows_exactly(name))
        .count()
}

/// How many a page each list showed at each size, against the fixed layout before it.
#[derive(Default)]
struct Report {
    lines: Vec<String>,
    /// The lines of lists showing fewer than twice as many as before, and not all.
    short: Vec<String>,
}

impl Report {
    /// `list` at `size` showed `count` of `all` a page, where the fixed layout showed `before`.
    fn note(&mut self, list: &str, size: (f32, f32), count: usize, before: usize, all: usize) {
        let line = format!(
            "{list} {}x{}: {count} a page (was {before})",
            size.0, size.1
        );
        if count < (2 * before).min(all) {
            self.short.push(line.clone());
        }
        self.lines.push(line);
    }

    fn assert_none_short(&self) {
        println!("{}", self.lines.join("\n"));
        assert!(
            self.short.is_empty(),
            "too few a page:\n{}",
            self.short.join("\n")
        );
    }
}

#[test]
fn a_page_shows_at_least_twice_as_many_services_as_the_fixed_rows_did() {
    let (kiosk, _folder) = kiosk();
    let context = kiosk.context();
    let mut report = Report::default();
    for agency in ["DUKCAPIL", "DPMPTSP", "SAMSAT"] {
        let names: Vec<&str> = context
            .catalog
            .services_of(agency)
            .map(|service| service.name.get(Language::Indonesian))
            .collect();
        let list = services::State::new(agency.into());
        for &size in panels() {
            let layout = survey(Size::new(size.0, size.1), list.view(&context));
            let picture = format!("list-{agency}-{}x{}", size.0, size.1);
            snapshot(Size::new(size.0, size.1), list.view(&context), &picture);
            let count = shown(&layout, &names);
            let before = fixed_rows_per_page(size);
            report.note(agency, size, count, before, names.len());
        }
    }
    report.assert_none_short();
}

#[test]
fn a_page_shows_at_least_twice_as_many_agencies_as_the_fixed_tiles_did_or_all_of_them() {
    let (kiosk, _folder) = kiosk();
    let context = kiosk.context();
    let names: Vec<&str> = agencies::ordered(&context)
        .into_iter()
        .map(|agency| agency.short_name.as_str())
        .collect();
    let mut report = Report::default();
    for &size in panels() {
        let list = agencies::State::default();
        let count = shown(
            &survey(Size::new(size.0, size.1), list.view(&context)),
            &names,
        );
        let picture = format!("list-agencies-{}x{}", size.0, size.1);
        snapshot(Size::new(size.0, size.1), list.view(&context), &picture);
        let before = fixed_agency_tiles_per_page(size);
        report.note("agencies", size, count, before, names.len());
    }
    report.assert_none_short();
}

/// The messages a tap on each touch target of `list` sends.
fn taps(list: &services::State, context: &Context, size: Size) -> Vec<services::Message> {
    let layout = survey(size, list.view(context));
    let mut ui = Simulator::with_size(support::simulator_settings(), size, list.view(context));
    for target in layout.targets {
        ui.point_at(target.center());
        ui.simulate([
            Event::Mouse(mouse::Event::ButtonPressed(mouse::Button::Left)),
            Event::Mouse(mouse::Event::ButtonReleased(mouse::Button::Left)),
        ]);
    }
    ui.into_messages().collect()
}

/// The services reachable from the agency's first page in at most `taps_left` taps.
fn reachable(agency: &str, context: &Context, size: Size, taps_left: usize) -> BTreeSet<String> {
    let mut reached = BTreeSet::new();
    let mut seen_pages = BTreeSet::from([0]);
    let mut to_visit = VecDeque::from([(services::State::new(agency.into()), taps_left)]);
    while let Some((list, left)) = to_visit.pop_front() {
        if left == 0 {
            continue;
        }
        for message in taps(&list, context, size) {
            match message {
                services::Message::Open(code) => {
                    reached.insert(code.to_string());
                }
                services::Message::ShowPage(page) if seen_pages.insert(page) => {
                    let mut next = list.clone();
                    next.page = page;
                    to_visit.push_back((next, left - 1));
                }
                _ => {}
            }
        }
    }
    reached
}

#[test]
fn every_service_is_three_taps_from_its_agency() {
    let (kiosk, _folder) = kiosk();
    let context = kiosk.context();
    let mut far = Vec::new();
    for &(width, height) in panels() {
        for agency in &context.catalog.agencies {
            let all: BTreeSet<String> = context
                .catalog
                .services_of(&agency.code)
                .map(|service| service.code.to_string())
                .collect();
            // The agency's tile is the first tap; two more reach the service.
            let near = reachable(agency.code.as_str(), &context, Size::new(width, height), 2);
            let missing: Vec<&String> = all.difference(&near).collect();
            if !missing.is_empty() {
                far.push(format!("{} {width}x{height}: {missing:?}", agency.code));
            }
        }
    }
    assert!(
        far.is_empty(),
        "more than three taps away:\n{}",
        far.join("\n")
    );
}

//! The welcome screen: the MPP's name, the date and time, "touch to take a number", the language
//! switch and what priority service means. A touch anywhere but on a language button starts;
//! five quick taps in the top-left corner (on the logo) open the technician's PIN pad instead.

pub mod corner;

use chrono::Timelike;
use iced::time::Instant;
use iced::widget::{Space, column, container, image, mouse_area, responsive, row, stack, text};
use iced::{Alignment, Element, Length, Size, Task};

use super::Context;
use crate::ui::measure::text_width;
use crate::ui::theme;
use crate::ui::widgets::big_button;
use mpp_core::issue_hold::IssueHold;
use mpp_core::lang::Language;
use mpp_core::strings::{Text, long_date};

/// The corner taps heard; the language lives in the app, for every screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    corner: corner::CornerTaps,
}

/// The hidden corner's side, in pixels at scale 1: over the logo, clear of the language
/// buttons (beside the logo's row on a wide screen, below it on a narrow one).
const CORNER_SIDE: f32 = 96.0;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The visitor touched the screen to begin.
    Start,
    /// The visitor picked a language.
    SetLanguage(Language),
    /// The visitor wants to rate a visit (the survey button, not a touch elsewhere).
    StartSurvey,
    /// A tap in the top-left corner: perhaps a technician's gesture, perhaps a visitor.
    CornerTapped,
    /// The wait after corner tap `n` ended.
    CornerSettled(u64),
}

/// What the app should do after a message.
pub enum Action {
    None,
    Run(Task<Message>),
    /// Show the agencies.
    Start,
    /// Speak this language from now on.
    SetLanguage(Language),
    /// Show the satisfaction survey.
    StartSurvey,
    /// The technician's gesture: show the PIN pad.
    OpenPad,
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Start => Action::Start,
            Message::SetLanguage(language) => Action::SetLanguage(language),
            Message::StartSurvey => Action::StartSurvey,
            Message::CornerTapped => self.corner_tapped(Instant::now()),
            Message::CornerSettled(generation) => {
                if self.corner.settle(generation) {
                    Action::Start
                } else {
                    Action::None
                }
            }
        }
    }

    /// A corner tap at `now`: the fifth in time opens the pad; any other waits to see whether
    /// more follow, and is a visitor's touch if none does.
    pub fn corner_tapped(&mut self, now: Instant) -> Action {
        match self.corner.tap(now) {
            corner::Heard::OpenPad => Action::OpenPad,
            // The timer is made when the task runs, on the app's runtime.
            corner::Heard::Wait(generation) => Action::Run(Task::perform(
                async { tokio::time::sleep(corner::SETTLE).await },
                move |()| Message::CornerSettled(generation),
            )),
        }
    }

    pub fn view<'a>(&self, context: &Context<'a>) -> Element<'a, Message> {
        let scaled = CORNER_SIDE * context.sizes.scale;
        let context = context.clone();
        // The screen says "touch the screen": so any touch does, outside the language buttons
        // (which take their touch first) and the hidden corner (which tells its own).
        // A kiosk that cannot give numbers starts nothing on a touch: it says so instead.
        let held = context.hold.is_some();
        let page = mouse_area(responsive(move |size| view(&context, size)));
        let screen = if held {
            page
        } else {
            page.on_press(Message::Start)
        };
        let corner = container(
            mouse_area(Space::new().width(scaled).height(scaled)).on_press(Message::CornerTapped),
        )
        .align_left(Length::Fill)
        .align_top(Length::Fill);
        stack![screen, corner].into()
    }
}

/// Below this width, and on a portrait screen, the language buttons go under the MPP's name
/// instead of beside it.
const NARROW: f32 = 1000.0;
/// Below this height (or width) the name is set smaller and the page closer together.
const SHORT: f32 = 700.0;
const SLIM: f32 = 1100.0;

fn view<'a>(context: &Context, size: Size) -> Element<'a, Message> {
    let sizes = context.sizes;
    let short = size.height < SHORT * sizes.scale;
    let mut page = column![heading(context, size)]
        .spacing(if short { 12 } else { 16 })
        .padding(if short { 16 } else { 24 })
        .width(Length::Fill)
        .height(Length::Fill);
    if context.hold.is_none() && !context.printer.can_print() {
        page = page.push(
            container(
                text(context.t(Text::PrinterBanner))
                    .size(sizes.body())
                    .font(theme::SEMIBOLD),
            )
            .padding(if short { 10 } else { 16 })
            .width(Length::Fill)
            .style(|_| theme::panel(theme::AMBER, theme::INK)),
        );
    }
    let page = match context.hold {
        Some(hold) => page.push(hold_panel(context, hold, short)),
        None => page.push(start_panel(context, short)),
    };
    if !context.survey_enabled {
        return page.push(priority_notice(context, short)).into();
    }
    // The survey button takes its touch before the screen's "touch anywhere to start".
    if size.width < NARROW * sizes.scale || size.height > size.width {
        page.push(priority_notice(context, short))
            .push(survey_button(context, short, true))
            .into()
    } else {
        page.push(
            row![
                priority_notice(context, short),
                survey_button(context, short, false)
            ]
            .spacing(16)
            .align_y(Alignment::Center),
        )
        .into()
    }
}

/// "Rate our service", with what it needs under it (on a tall enough screen).
/// Beside the priority notice it is as wide as its words need; on its own line (`stacked`,
/// narrow and portrait screens) as wide as the notice above it.
fn survey_button<'a>(context: &Context, short: bool, stacked: bool) -> Element<'a, Message> {
    use mpp_core::survey::text::Text as SurveyText;
    let sizes = context.sizes;
    let language = context.language;
    let mut words = column![
        text(SurveyText::StartButton.get(language))
            .size(sizes.body() * 1.15)
            .font(theme::BOLD),
    ]
    .spacing(4);
    if !short {
        let hint = if context.scanner_ready() {
            SurveyText::StartHintScan
        } else {
            SurveyText::StartHint
        };
        words = words.push(text(hint.get(language)).size(sizes.small()));
    }
    let face = container(words)
        .padding([14.0, 24.0])
        .width(Length::Fill)
        .style(|_| theme::panel(theme::GREEN, theme::WHITE));
    let button =
        container(crate::ui::widgets::tap(face, Some(Message::StartSurvey))).width(Length::Fill);
    if stacked {
        button.into()
    } else {
        button
            .max_width(if short { 420.0 } else { 560.0 } * sizes.scale)
            .into()
    }
}

/// The logo, the MPP's name and the time, with the language buttons beside them (below them on
/// a narrow screen).
fn heading<'a>(context: &Context, size: Size) -> Element<'a, Message> {
    let sizes = context.sizes;
    let now = context.local_now;
    let clock = format!(
        "{}  ·  {:02}:{:02}",
        long_date(now.date(), context.language),
        now.hour(),
        now.minute()
    );
    let name_size = if size.height < SHORT * sizes.scale || size.width < SLIM * sizes.scale {
        sizes.heading()
    } else {
        sizes.title() * 0.85
    };
    let names = column![
        text(context.t(Text::Welcome))
            .size(sizes.body())
            .style(theme::muted),
        text(context.mpp_name.to_owned())
            .size(name_size)
            .font(theme::BOLD),
        text(clock).size(sizes.body()),
    ]
    .spacing(4)
    .width(Length::Fill);
    let logo = image(theme::logo()).height(Length::Fixed(80.0 * sizes.scale));
    if size.width < NARROW * sizes.scale || size.height > size.width {
        column![
            row![logo, names].spacing(24).align_y(Alignment::Center),
            languages(context, Axis::Across),
        ]
        .spacing(16)
        .into()
    } else {
        row![logo, names, languages(context, Axis::Down)]
            .spacing(24)
            .align_y(Alignment::Center)
            .into()
    }
}

/// Which way the language buttons line up.
enum Axis {
    Across,
    Down,
}

/// One button per language, the chosen one ticked, as wide as the longest label needs.
fn languages<'a>(context: &Context, axis: Axis) -> Element<'a, Message> {
    let sizes = context.sizes;
    let label = |language: Language| {
        if language == context.language {
            format!("✓ {}", language.native_name())
        } else {
            language.native_name().to_owned()
        }
    };
    let width = Language::ALL
        .into_iter()
        .map(|language| {
            text_width(
                &format!("✓ {}", language.native_name()),
                theme::BOLD,
                sizes.body() * 1.15,
            )
        })
        .fold(0.0, f32::max)
        + 56.0;
    let buttons = Language::ALL.map(|language| {
        let colour = if language == context.language {
            theme::NAVY
        } else {
            theme::MUTED
        };
        container(big_button(
            &label(language),
            colour,
            Some(Message::SetLanguage(language)),
            sizes,
        ))
        .width(Length::Fixed(width))
        .into()
    });
    match axis {
        Axis::Down => column(buttons).spacing(8).into(),
        Axis::Across => row(buttons).spacing(16).into(),
    }
}

/// "Touch the screen to take a number": the largest thing on screen. On a short screen without
/// the line under it, which says the same in other words.
fn start_panel<'a>(context: &Context, short: bool) -> Element<'a, Message> {
    let sizes = context.sizes;
    let mut words = column![
        text(context.t(Text::TouchToStart))
            .size(sizes.heading())
            .font(theme::BOLD)
            .center(),
    ]
    .spacing(12)
    .align_x(Alignment::Center);
    if !short {
        words = words.push(
            text(format!("›  {}", context.t(Text::Start)))
                .size(sizes.body())
                .center(),
        );
    }
    container(words)
        .padding(if short { 12 } else { 24 })
        .center_x(Length::Fill)
        .height(Length::Fill)
        .align_y(Alignment::Center)
        .style(|_| theme::panel(theme::NAVY, theme::WHITE))
        .into()
}

/// Instead of "touch to take a number": no number can be given, in both languages (the
/// visitor has not chosen one yet), who to ask, and a hint for staff in small print.
fn hold_panel<'a>(context: &Context, hold: IssueHold, short: bool) -> Element<'a, Message> {
    let sizes = context.sizes;
    let other = match context.language {
        Language::Indonesian => Language::English,
        Language::English => Language::Indonesian,
    };
    let words = column![
        text(context.t(Text::CannotIssueTitle))
            .size(sizes.heading())
            .font(theme::BOLD)
            .center(),
        text(context.t(Text::CannotIssueAsk))
            .size(sizes.body())
            .center(),
        text(format!(
            "{}. {}",
            Text::CannotIssueTitle.get(other),
            Text::CannotIssueAsk.get(other)
        ))
        .size(sizes.small())
        .center(),
        text(hold.staff_hint(context.language))
            .size(sizes.small())
            .font(theme::SEMIBOLD)
            .center(),
    ]
    .spacing(if short { 8 } else { 16 })
    .align_x(Alignment::Center);
    container(words)
        .padding(if short { 12 } else { 24 })
        .center_x(Length::Fill)
        .height(Length::Fill)
        .align_y(Alignment::Center)
        .style(|_| theme::outlined(theme::WHITE, theme::RED))
        .into()
}

fn priority_notice<'a>(context: &Context, short: bool) -> Element<'a, Message> {
    let sizes = context.sizes;
    let high_contrast = context.high_contrast;
    container(
        column![
            text(context.t(Text::PriorityTitle))
                .size(sizes.body())
                .font(theme::BOLD),
            text(context.t(Text::PriorityExplain)).size(sizes.small()),
        ]
        .spacing(if short { 4 } else { 8 }),
    )
    .padding(if short { 12 } else { 20 })
    .width(Length::Fill)
    .style(move |_| theme::card(high_contrast))
    .into()
}

//! The survey's first screen: the ticket's number and the code at its foot, typed on the big
//! keys. The kiosk checks them against its own tickets; whatever is wrong is said plainly.

use iced::widget::{column, container, responsive, row, text};
use iced::{Element, Length, Size};

use super::keypad::{Key, KeyLabels, Keys, keypad};
use crate::ui::screen::Context;
use crate::ui::theme;
use crate::ui::widgets::{header_sized, tap};
use mpp_core::survey::code;
use mpp_core::survey::eligibility::Eligibility;
use mpp_core::survey::scan::ScanProblem;
use mpp_core::survey::text::Text;

/// Longest ticket number typed: a queue code and four digits, with room to spare.
const NUMBER_CHARS: usize = 12;

/// The field the keys type into.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Field {
    #[default]
    Number,
    Code,
}

/// Why the survey did not start, as the visitor is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    NoMatch,
    Voided,
    TooOld {
        days: u32,
    },
    Answered,
    /// The store could not be read: a fault for staff.
    CheckFailed,
    /// The code the scanner read does not start the survey here.
    Scan(ScanProblem),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub number: String,
    pub code: String,
    pub field: Field,
    pub problem: Option<Problem>,
    /// The check is under way: keys wait for its answer.
    pub checking: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// Type into this field from now on.
    Focus(Field),
    /// A key was pressed.
    Key(Key),
    /// Check the number and code.
    Submit,
    /// Leave the survey.
    Cancel,
}

/// What the survey should do after a message.
pub enum Action {
    None,
    /// Ask the store whether this ticket may be rated.
    Check {
        number: String,
        code: String,
    },
    /// Back to the start screen.
    Home,
}

impl State {
    /// The entry with a scanned ticket being checked: the keys wait for the answer.
    pub fn scanning() -> Self {
        Self {
            checking: true,
            ..Self::default()
        }
    }

    /// Takes a scanned code now: nothing is typed or being checked.
    pub fn accepts_scan(&self) -> bool {
        !self.checking
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Focus(field) => self.field = field,
            Message::Key(key) if !self.checking => self.type_key(key),
            Message::Key(_) => {}
            // Continue after the number moves on to the code.
            Message::Submit if self.field == Field::Number && !self.number.is_empty() => {
                self.field = Field::Code;
            }
            Message::Submit if self.can_submit() => {
                self.checking = true;
                self.problem = None;
                return Action::Check {
                    number: self.number.clone(),
                    code: self.code.clone(),
                };
            }
            Message::Submit => {}
            Message::Cancel => return Action::Home,
        }
        Action::None
    }

    /// Both fields are filled in (the code to its full length) and no check is under way.
    pub fn can_submit(&self) -> bool {
        !self.checking && !self.number.is_empty() && self.code.chars().count() == code::LENGTH
    }

    /// Continue does something: moves on from the number, or checks both.
    pub fn can_continue(&self) -> bool {
        !self.checking
            && (self.can_submit() || (self.field == Field::Number && !self.number.is_empty()))
    }

    /// The store's answer when the survey cannot start.
    pub fn refused(&mut self, eligibility: &Eligibility, window_days: u32) {
        self.checking = false;
        self.problem = match eligibility {
            Eligibility::Open(_) => None,
            Eligibility::NoMatch => Some(Problem::NoMatch),
            Eligibility::Voided => Some(Problem::Voided),
            Eligibility::TooOld => Some(Problem::TooOld { days: window_days }),
            Eligibility::Answered => Some(Problem::Answered),
        };
        if self.problem == Some(Problem::NoMatch) {
            // Most likely a mistyped code: start it again, keep the number.
            self.code.clear();
            self.field = Field::Code;
        }
    }

    /// The scanned code was not one to rate here; what was typed stays.
    pub fn refused_scan(&mut self, problem: ScanProblem) {
        self.checking = false;
        self.problem = Some(Problem::Scan(problem));
    }

    pub fn check_failed(&mut self) {
        self.checking = false;
        self.problem = Some(Problem::CheckFailed);
    }

    fn type_key(&mut self, key: Key) {
        self.problem = None;
        let (value, limit) = match self.field {
            Field::Number => (&mut self.number, NUMBER_CHARS),
            Field::Code => (&mut self.code, code::LENGTH),
        };
        match key {
            Key::Delete => {
                value.pop();
            }
            Key::Char(character) if value.chars().count() < limit => {
                value.push(character.to_ascii_uppercase())
            }
            Key::Char(_) | Key::Space => {}
        }
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let context = context.clone();
        responsive(move |size| view(self, &context, size)).into()
    }
}

/// Below this height the explanation gives way to the keys.
const SHORT: f32 = 700.0;

fn view<'a>(state: &'a State, context: &Context, size: Size) -> Element<'a, Message> {
    let sizes = context.sizes;
    let t = |text: Text| text.get(context.language);
    let short = size.height < SHORT * sizes.scale;
    let header = header_sized(
        t(Text::Title),
        if short {
            sizes.body() * 1.15
        } else {
            sizes.heading()
        },
        t(Text::Cancel),
        Message::Cancel,
        sizes,
    );
    let fields = row![
        field(
            t(Text::NumberLabel),
            &state.number,
            Field::Number,
            state,
            context
        ),
        field(t(Text::CodeLabel), &state.code, Field::Code, state, context),
    ]
    .spacing(16);
    let mut body = column![].spacing(if short { 8 } else { 16 });
    if !short {
        let explain = if context.scanner_ready() {
            Text::EntryExplainScan
        } else {
            Text::EntryExplain
        };
        body = body.push(text(t(explain)).size(sizes.body()));
    }
    body = body.push(fields);
    let message = match (state.checking, &state.problem) {
        (true, _) => Some((t(Text::Checking).to_owned(), theme::NAVY)),
        (false, Some(problem)) => Some((problem_text(problem, context), theme::RED)),
        (false, None) => None,
    };
    // The line is there, empty, before anything is said: the keys below never move.
    let (words, colour) = message.unwrap_or_default();
    let room = message_room(context, size.width - 2.0 * if short { 12.0 } else { 24.0 });
    body = body.push(
        container(
            text(words)
                .size(sizes.body())
                .font(theme::SEMIBOLD)
                .color(colour),
        )
        .height(Length::Fixed(room)),
    );
    let continue_key = super::action_key(
        t(Text::Continue),
        state.can_continue().then_some(Message::Submit),
        sizes,
    );
    let key_height = super::key_height(size, sizes, Keys::Code, if short { 300.0 } else { 420.0 });
    body = body.push(keypad(
        Keys::Code,
        Message::Key,
        KeyLabels::survey(context.language),
        key_height,
        sizes,
        continue_key,
    ));
    column![header, container(body).padding(if short { 12 } else { 24 })]
        .width(Length::Fill)
        .height(Length::Fill)
        .into()
}

/// A labelled box showing what was typed; tapping it types into it.
fn field<'a>(
    label: &str,
    value: &str,
    which: Field,
    state: &State,
    context: &Context,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let active = state.field == which;
    let shown = if value.is_empty() { " " } else { value };
    let cursor = if active { "▏" } else { "" };
    let boxed = container(
        text(format!("{shown}{cursor}"))
            .size(sizes.heading())
            .font(theme::BOLD),
    )
    .padding([8.0, 16.0])
    .width(Length::Fill)
    .style(move |_| {
        if active {
            theme::outlined(theme::WHITE, theme::NAVY)
        } else {
            theme::outlined(theme::WHITE, theme::MUTED)
        }
    });
    let labelled = column![
        text(label.to_owned())
            .size(sizes.small())
            .style(theme::muted),
        boxed
    ]
    .spacing(4);
    container(tap(labelled, Some(Message::Focus(which))))
        .width(Length::Fill)
        .into()
}

/// The height of the tallest thing the message line can say, at `width`.
fn message_room(context: &Context, width: f32) -> f32 {
    let language = context.language;
    let kiosk = ScanProblem::OtherKiosk {
        kiosk: "kiosk-lantai-1-utara".into(),
    };
    let problems = [
        Problem::NoMatch,
        Problem::Voided,
        Problem::TooOld { days: 365 },
        Problem::Answered,
        Problem::CheckFailed,
        Problem::Scan(ScanProblem::NotATicket),
        Problem::Scan(kiosk),
        Problem::Scan(ScanProblem::Forged),
        Problem::Scan(ScanProblem::NotOnRecord),
    ];
    let said = (problems.iter())
        .map(|problem| problem_text(problem, context))
        .chain([Text::Checking.get(language).to_owned()]);
    said.map(|words| {
        crate::ui::measure::text_height(&words, theme::SEMIBOLD, context.sizes.body(), width)
    })
    .fold(0.0, f32::max)
}

fn problem_text(problem: &Problem, context: &Context) -> String {
    let language = context.language;
    match problem {
        Problem::NoMatch => Text::WrongCode.get(language).to_owned(),
        Problem::Voided => Text::Voided.get(language).to_owned(),
        Problem::TooOld { days } => Text::TooOld.fill(language, &[("days", &days.to_string())]),
        Problem::Scan(problem) => scan_text(problem, language),
        Problem::Answered => Text::Answered.get(language).to_owned(),
        Problem::CheckFailed => Text::CheckFailed.get(language).to_owned(),
    }
}

fn scan_text(problem: &ScanProblem, language: mpp_core::lang::Language) -> String {
    match problem {
        ScanProblem::NotATicket => Text::ScanNotTicket.get(language).to_owned(),
        ScanProblem::OtherKiosk { kiosk } => {
            Text::ScanOtherKiosk.fill(language, &[("kiosk", kiosk)])
        }
        ScanProblem::Forged => Text::ScanForged.get(language).to_owned(),
        ScanProblem::NotOnRecord => Text::ScanNotOnRecord.get(language).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(state: &mut State, keys: &str) {
        for character in keys.chars() {
            state.update(Message::Key(Key::Char(character)));
        }
    }

    #[test]
    fn typing_fills_the_chosen_field_up_to_its_length() {
        let mut state = State::default();
        typed(&mut state, "dkc-014");
        assert_eq!(state.number, "DKC-014");
        assert!(!state.can_submit() && state.can_continue());
        state.update(Message::Submit);
        assert_eq!(state.field, Field::Code, "Continue moves on to the code");
        typed(&mut state, "K7QX4Z");
        assert_eq!(state.code, "K7QX4", "five characters at most");
        state.update(Message::Key(Key::Delete));
        assert_eq!(state.code, "K7QX");
        assert!(!state.can_submit());
        typed(&mut state, "4");
        assert!(state.can_submit());
        let Action::Check { number, code } = state.update(Message::Submit) else {
            panic!("no check");
        };
        assert_eq!((number.as_str(), code.as_str()), ("DKC-014", "K7QX4"));
        // While checking, a second tap and the keys do nothing.
        assert!(matches!(state.update(Message::Submit), Action::None));
        typed(&mut state, "A");
        assert_eq!(state.code, "K7QX4");
    }

    #[test]
    fn a_wrong_code_is_cleared_and_the_other_refusals_are_kept_for_reading() {
        let mut state = State {
            number: "DKC-014".into(),
            code: "K7QX4".into(),
            field: Field::Code,
            ..State::default()
        };
        state.update(Message::Submit);
        state.refused(&Eligibility::NoMatch, 1);
        assert_eq!(state.problem, Some(Problem::NoMatch));
        assert!(state.code.is_empty() && state.number == "DKC-014");
        state.code = "K7QX4".into();
        state.update(Message::Submit);
        state.refused(&Eligibility::TooOld, 3);
        assert_eq!(state.problem, Some(Problem::TooOld { days: 3 }));
        assert_eq!(state.code, "K7QX4");
        typed(&mut state, "");
        state.update(Message::Key(Key::Delete));
        assert_eq!(state.problem, None, "typing again clears the message");
    }

    #[test]
    fn a_scanned_ticket_holds_the_keys_until_its_answer_and_a_refusal_keeps_what_was_typed() {
        let mut state = State::scanning();
        assert!(!state.accepts_scan(), "one scan at a time");
        typed(&mut state, "DKC");
        assert!(
            state.number.is_empty(),
            "the keys wait for the scan's answer"
        );
        state.refused_scan(ScanProblem::OtherKiosk { kiosk: "K2".into() });
        assert!(state.accepts_scan());
        assert_eq!(
            state.problem,
            Some(Problem::Scan(ScanProblem::OtherKiosk {
                kiosk: "K2".into()
            }))
        );
        typed(&mut state, "DKC");
        assert_eq!(state.number, "DKC", "typing works again");
        assert_eq!(state.problem, None);
    }
}

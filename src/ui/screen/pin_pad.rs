//! The technician's PIN pad, opened by the welcome screen's hidden corner: big digits, the
//! entry shown as dots, what the last check said (tries left, or the lock with the minutes
//! left). The check itself is slow (Argon2) and runs off the UI thread: the app carries out
//! [`Action::Check`] and answers with [`Message::Checked`].

use chrono::{NaiveDateTime, TimeDelta};
use iced::widget::{Space, column, container, responsive, row, text};
use iced::{Alignment, Element, Length, Size, Task};

use super::Context;
use crate::ui::backend::BackendError;
use crate::ui::theme;
use crate::ui::widgets::{big_button, tap};
use mpp_core::maintenance::{Attempt, PIN_LENGTH};
use mpp_core::strings::maintenance::Text;
use mpp_station::maintenance::{Pin, PinCheck};

/// What the line under the dots says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    Enter,
    Checking,
    Wrong { tries_left: u32 },
    Locked { minutes_left: u32 },
    NoPin,
    Fault,
}

#[derive(Clone, Debug)]
pub struct State {
    entry: Pin,
    notice: Notice,
    /// The check on its way, if any: its result must carry this id.
    checking: Option<u64>,
    next_check: u64,
    /// When the lock the store reported ends, on the screen's clock (its minutes are rounded
    /// up, so this is never before the store's own end): the pad counts down to it.
    lock_ends: Option<NaiveDateTime>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            entry: Pin::new(""),
            notice: Notice::Enter,
            checking: None,
            next_check: 1,
            lock_ends: None,
        }
    }
}

#[derive(Clone, Debug)]
pub enum Message {
    /// A digit key.
    Digit(u8),
    /// Take the last digit off.
    Delete,
    /// Check the digits entered.
    Submit,
    /// Back to the welcome screen.
    Cancel,
    /// A check ended (tagged with its id; a stale one is ignored).
    Checked(u64, Result<PinCheck, BackendError>),
}

pub enum Action {
    None,
    Run(Task<Message>),
    /// Check this PIN; answer with `Message::Checked(id, …)`.
    Check(u64, Pin),
    /// The right PIN: open the menu.
    OpenMenu,
    Close,
}

impl State {
    pub fn notice(&self) -> Notice {
        self.notice
    }

    /// Notes when a lock just reported ends, `now` being the screen's local time.
    pub fn lock_heard(&mut self, now: NaiveDateTime) {
        match self.notice {
            Notice::Locked { minutes_left } if self.lock_ends.is_none() => {
                self.lock_ends = Some(now + TimeDelta::minutes(minutes_left.into()));
            }
            Notice::Locked { .. } => {}
            _ => self.lock_ends = None,
        }
    }

    /// Seconds of the lock left at `now`, while it lasts.
    pub fn lock_left(&self, now: NaiveDateTime) -> Option<i64> {
        let left = (self.lock_ends? - now).num_seconds();
        (matches!(self.notice, Notice::Locked { .. }) && left > 0).then_some(left)
    }

    /// How many digits are entered (the screen shows as many dots).
    pub fn entered(&self) -> usize {
        self.entry.len()
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Digit(digit) => self.type_digit(digit),
            Message::Delete => {
                if self.checking.is_none() {
                    self.entry = Pin::new(self.entry.without_last());
                }
                Action::None
            }
            Message::Submit => self.submit(),
            Message::Cancel => Action::Close,
            Message::Checked(id, result) => self.checked(id, result),
        }
    }

    /// Typing goes on while the pad says it is locked: the store answers a check made too
    /// early (and audits it), and the lock may have run out meanwhile.
    fn type_digit(&mut self, digit: u8) -> Action {
        if self.checking.is_none() && digit <= 9 && self.entry.len() < *PIN_LENGTH.end() {
            self.entry = Pin::new(self.entry.with_digit(digit));
        }
        Action::None
    }

    fn submit(&mut self) -> Action {
        if self.checking.is_some() || self.entry.len() < *PIN_LENGTH.start() {
            return Action::None;
        }
        let id = self.next_check;
        self.next_check += 1;
        self.checking = Some(id);
        self.notice = Notice::Checking;
        let pin = std::mem::replace(&mut self.entry, Pin::new(""));
        Action::Check(id, pin)
    }

    fn checked(&mut self, id: u64, result: Result<PinCheck, BackendError>) -> Action {
        if self.checking != Some(id) {
            return Action::None;
        }
        self.checking = None;
        self.notice = match result {
            Ok(PinCheck::Done(Attempt::Accepted)) => return Action::OpenMenu,
            Ok(PinCheck::Done(Attempt::Wrong { tries_left })) => Notice::Wrong { tries_left },
            Ok(PinCheck::Done(
                Attempt::LockedNow { minutes_left } | Attempt::StillLocked { minutes_left },
            )) => {
                // A new report starts a new countdown.
                self.lock_ends = None;
                Notice::Locked { minutes_left }
            }
            Ok(PinCheck::NoPin) => Notice::NoPin,
            Err(error) => {
                tracing::error!(%error, "the maintenance PIN could not be checked");
                Notice::Fault
            }
        };
        Action::None
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let context = context.clone();
        responsive(move |size| view(self, &context, size)).into()
    }
}

/// Every key is as wide as the widest label ("Delete", "Masuk") needs: the pad stays a grid.
fn key_width(side: f32, body: f32) -> f32 {
    let widest = [Text::ClearDigit, Text::EnterDigits]
        .into_iter()
        .flat_map(|words| mpp_core::lang::Language::ALL.map(|language| words.get(language)))
        .map(|label| crate::ui::measure::text_width(label, theme::BOLD, body))
        .fold(0.0, f32::max);
    side.max(widest + 24.0)
}

/// The keys' side: as large as the screen's height allows, never under a finger's 64 px.
fn key_side(size: Size, context: &Context) -> f32 {
    let scale = context.sizes.scale;
    let room = (size.height - 330.0 * scale) / 4.0 - 12.0;
    room.clamp(64.0, 110.0 * scale)
}

fn view<'a>(state: &'a State, context: &Context, size: Size) -> Element<'a, Message> {
    let sizes = context.sizes;
    let t = |words: Text| words.get(context.language);
    let side = key_side(size, context);
    let dots = if state.entry.is_empty() {
        "–".to_owned()
    } else {
        "●  ".repeat(state.entry.len()).trim_end().to_owned()
    };
    // While locked the keys are greyed out and the time left counts down; after it, the pad
    // asks for the PIN again.
    let lock_left = state.lock_left(context.local_now);
    let shown = match (state.notice, lock_left) {
        (Notice::Locked { .. }, None) => Notice::Enter,
        (notice, _) => notice,
    };
    let words = match lock_left {
        Some(seconds) => Text::PadLockedFor.fill(
            context.language,
            &[("time", &format!("{}:{:02}", seconds / 60, seconds % 60))],
        ),
        None => notice_text(shown, context),
    };
    let mut notice = text(words).size(sizes.body());
    if !matches!(shown, Notice::Enter | Notice::Checking) {
        notice = notice.font(theme::BOLD).style(|_| text::Style {
            color: Some(theme::RED),
        });
    }
    let open = lock_left.is_none();
    let keys = column(
        [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
            .into_iter()
            .map(|digits| {
                row(digits.map(|digit| digit_key(digit, side, context, open)))
                    .spacing(12)
                    .into()
            })
            .chain(std::iter::once(
                row![
                    key(
                        t(Text::ClearDigit),
                        open.then_some(Message::Delete),
                        side,
                        sizes.body()
                    ),
                    digit_key(0, side, context, open),
                    key(
                        t(Text::EnterDigits),
                        open.then_some(Message::Submit),
                        side,
                        sizes.body()
                    ),
                ]
                .spacing(12)
                .into(),
            )),
    )
    .spacing(12);
    let cancel = container(big_button(
        t(Text::Cancel),
        theme::MUTED,
        Some(Message::Cancel),
        sizes,
    ))
    .width(Length::Fixed(key_width(side, sizes.body()) * 3.0 + 24.0));
    let page = column![
        text(t(Text::PadTitle))
            .size(sizes.heading())
            .font(theme::BOLD),
        text(dots).size(sizes.heading()).font(theme::BOLD),
        notice,
        keys,
        cancel,
    ]
    .spacing(16)
    .align_x(Alignment::Center);
    container(page)
        .padding(16)
        .center_x(Length::Fill)
        .center_y(Length::Fill)
        .into()
}

fn digit_key<'a>(digit: u8, side: f32, context: &Context, open: bool) -> Element<'a, Message> {
    let sizes = context.sizes;
    // As wide as a word key at body size, with a larger digit: the pad stays one grid.
    let width = key_width(side, sizes.body());
    key_face(
        &digit.to_string(),
        open.then_some(Message::Digit(digit)),
        side,
        sizes.title(),
        width,
    )
}

/// A key `side` high and wide enough for its label at `size`; greyed out without a message.
fn key<'a>(label: &str, message: Option<Message>, side: f32, size: f32) -> Element<'a, Message> {
    key_face(label, message, side, size, key_width(side, size))
}

fn key_face<'a>(
    label: &str,
    message: Option<Message>,
    side: f32,
    size: f32,
    width: f32,
) -> Element<'a, Message> {
    let label = text(label.to_owned())
        .size(size)
        .font(theme::BOLD)
        .center()
        .width(Length::Fill);
    let colour = if message.is_some() {
        theme::NAVY
    } else {
        theme::DISABLED
    };
    let face = container(row![Space::new().height(side), label].align_y(Alignment::Center))
        .width(Length::Fixed(width))
        .height(Length::Fixed(side))
        .style(move |_| theme::panel(colour, theme::WHITE));
    tap(face, message)
}

fn notice_text(notice: Notice, context: &Context) -> String {
    let language = context.language;
    match notice {
        Notice::Enter => Text::EnterPin.get(language).to_owned(),
        Notice::Checking => Text::Checking.get(language).to_owned(),
        Notice::Wrong { tries_left } => {
            Text::WrongPin.fill(language, &[("tries", &tries_left.to_string())])
        }
        Notice::Locked { minutes_left } => {
            Text::PadLocked.fill(language, &[("minutes", &minutes_left.to_string())])
        }
        Notice::NoPin => Text::NoPinSet.get(language).to_owned(),
        Notice::Fault => Text::PadFault.get(language).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(state: &mut State, digits: &str) {
        for digit in digits.bytes() {
            state.update(Message::Digit(digit - b'0'));
        }
    }

    #[test]
    fn digits_are_entered_up_to_eight_and_deleted() {
        let mut pad = State::default();
        typed(&mut pad, "1234567890");
        assert_eq!(pad.entered(), 8);
        pad.update(Message::Delete);
        assert_eq!(pad.entered(), 7);
    }

    #[test]
    fn a_short_entry_is_not_checked_and_a_stale_result_is_ignored() {
        let mut pad = State::default();
        typed(&mut pad, "123");
        assert!(matches!(pad.update(Message::Submit), Action::None));
        typed(&mut pad, "4");
        let Action::Check(id, pin) = pad.update(Message::Submit) else {
            panic!("checked");
        };
        assert_eq!(pin, Pin::new("1234"));
        assert_eq!(pad.entered(), 0, "the entry is cleared once sent");
        assert_eq!(pad.notice(), Notice::Checking);
        let stale = Message::Checked(id + 1, Ok(PinCheck::Done(Attempt::Accepted)));
        assert!(matches!(pad.update(stale), Action::None));
        let wrong = Message::Checked(id, Ok(PinCheck::Done(Attempt::Wrong { tries_left: 3 })));
        assert!(matches!(pad.update(wrong), Action::None));
        assert_eq!(pad.notice(), Notice::Wrong { tries_left: 3 });
    }

    #[test]
    fn a_lock_counts_down_from_when_it_was_heard_and_then_lets_the_keys_work() {
        let heard: NaiveDateTime = "2026-11-23T07:00:00".parse().expect("time");
        let mut pad = State::default();
        typed(&mut pad, "2468");
        let Action::Check(id, _) = pad.update(Message::Submit) else {
            panic!("checked");
        };
        let locked = Attempt::LockedNow { minutes_left: 2 };
        pad.update(Message::Checked(id, Ok(PinCheck::Done(locked))));
        pad.lock_heard(heard);
        // Heard again a second later (every message passes by): the end does not move.
        pad.lock_heard(heard + TimeDelta::seconds(1));
        assert_eq!(pad.lock_left(heard), Some(120));
        assert_eq!(pad.lock_left(heard + TimeDelta::seconds(75)), Some(45));
        assert_eq!(pad.lock_left(heard + TimeDelta::seconds(120)), None, "over");
        // A wrong PIN after it clears the lock's end.
        typed(&mut pad, "1357");
        let Action::Check(id, _) = pad.update(Message::Submit) else {
            panic!("checked");
        };
        let wrong = Attempt::Wrong { tries_left: 4 };
        pad.update(Message::Checked(id, Ok(PinCheck::Done(wrong))));
        pad.lock_heard(heard + TimeDelta::seconds(130));
        assert_eq!(pad.lock_left(heard + TimeDelta::seconds(130)), None);
    }

    #[test]
    fn the_right_pin_opens_the_menu_and_a_lock_is_shown_with_its_minutes() {
        let mut pad = State::default();
        typed(&mut pad, "2468");
        let Action::Check(id, _) = pad.update(Message::Submit) else {
            panic!("checked");
        };
        let locked = Attempt::LockedNow { minutes_left: 2 };
        pad.update(Message::Checked(id, Ok(PinCheck::Done(locked))));
        assert_eq!(pad.notice(), Notice::Locked { minutes_left: 2 });
        let mut pad = State::default();
        typed(&mut pad, "2468");
        let Action::Check(id, _) = pad.update(Message::Submit) else {
            panic!("checked");
        };
        let accepted = Message::Checked(id, Ok(PinCheck::Done(Attempt::Accepted)));
        assert!(matches!(pad.update(accepted), Action::OpenMenu));
    }
}

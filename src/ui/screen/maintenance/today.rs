//! The menu's today page: the day's figures per agency and service (the store's
//! `day_summary`, as the command line reads them), the ticket on show — the last one issued, or
//! one found by its number — with reprint and void. A void takes a reason from the list and,
//! if the technician wants, a short note that is checked before anything is stored.

use iced::widget::{column, row, text};
use iced::{Element, Length};

use super::{Message, Request, actions, sized_button};
use crate::ui::screen::Context;
use crate::ui::screen::survey::keypad::{Key, KeyLabels, Keys, keypad};
use crate::ui::theme;
use mpp_core::day::TimeZone;
use mpp_core::maintenance::{NoteProblem, VOID_NOTE_CHARS, VoidNote, VoidReason};
use mpp_core::strings::maintenance::{Text, status_text};
use mpp_core::ticket::{Ticket, TicketStatus};
use mpp_station::store::DaySummary;

/// The keys' height on the menu (the audit's finger).
const KEY_HEIGHT: f32 = 64.0;
/// Longest number the find pad takes (`DKC-P014` and a little room).
const NUMBER_CHARS: usize = 12;

/// What the today page shows, read when it opens and after each action.
#[derive(Clone, Debug)]
pub struct Today {
    pub summary: DaySummary,
    pub last: Option<Ticket>,
    /// The ticket found by its number, read again with the rest.
    pub found: Option<Ticket>,
}

/// What is being typed or picked on the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Step {
    #[default]
    Showing,
    /// A number is being typed; `missing` names the last one not found today.
    Finding {
        typed: String,
        missing: Option<String>,
    },
    /// A void's reason and note are being chosen; `noting` while the note is typed.
    Voiding {
        reason: Option<VoidReason>,
        note: String,
        problem: Option<NoteProblem>,
        noting: bool,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub step: Step,
    /// The id of the ticket found by number (shown instead of the last one).
    pub found: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    FindOpened,
    NumberKey(Key),
    Find,
    /// Back to the last ticket issued.
    ShowLast,
    VoidOpened,
    Reason(VoidReason),
    /// Type a note for the void.
    NoteOpened,
    NoteKey(Key),
    VoidConfirmed,
    Cancel,
}

/// What the menu does after a choice.
pub enum Effect {
    None,
    /// Look for today's ticket with this number.
    Find(String),
    /// Read the page again (the ticket on show changed).
    Reread,
    Ask(Request),
}

impl State {
    pub fn choose(&mut self, choice: Choice) -> Effect {
        match choice {
            Choice::FindOpened => {
                self.step = Step::Finding {
                    typed: String::new(),
                    missing: None,
                };
                Effect::None
            }
            Choice::NumberKey(key) => {
                if let Step::Finding { typed, missing } = &mut self.step {
                    *missing = None;
                    type_key(typed, key, NUMBER_CHARS);
                }
                Effect::None
            }
            Choice::Find => match &self.step {
                Step::Finding { typed, .. } if !typed.is_empty() => Effect::Find(typed.clone()),
                _ => Effect::None,
            },
            Choice::ShowLast => {
                self.found = None;
                self.step = Step::Showing;
                Effect::Reread
            }
            Choice::VoidOpened => {
                self.step = Step::Voiding {
                    reason: None,
                    note: String::new(),
                    problem: None,
                    noting: false,
                };
                Effect::None
            }
            Choice::NoteOpened => {
                if let Step::Voiding { noting, .. } = &mut self.step {
                    *noting = true;
                }
                Effect::None
            }
            Choice::Reason(picked) => {
                if let Step::Voiding { reason, .. } = &mut self.step {
                    *reason = Some(picked);
                }
                Effect::None
            }
            Choice::NoteKey(key) => {
                if let Step::Voiding { note, problem, .. } = &mut self.step {
                    *problem = None;
                    // One more than fits, so the technician sees why it stops.
                    type_key(note, key, VOID_NOTE_CHARS + 1);
                }
                Effect::None
            }
            Choice::VoidConfirmed => self.confirm_void(),
            Choice::Cancel => {
                self.step = Step::Showing;
                Effect::None
            }
        }
    }

    fn confirm_void(&mut self) -> Effect {
        let Step::Voiding {
            reason: Some(reason),
            note,
            problem,
            noting,
        } = &mut self.step
        else {
            return Effect::None;
        };
        match VoidNote::new(note) {
            Ok(note) => {
                let request = Request::Void(*reason, note);
                self.step = Step::Showing;
                Effect::Ask(request)
            }
            Err(refused) => {
                *problem = Some(refused);
                *noting = true;
                Effect::None
            }
        }
    }

    /// The search's answer: the ticket found, or the number named as not found today.
    pub fn found(&mut self, typed: &str, ticket: Option<&Ticket>) {
        match ticket {
            Some(ticket) => {
                self.found = Some(ticket.id.as_str().to_owned());
                self.step = Step::Showing;
            }
            None => {
                self.step = Step::Finding {
                    typed: typed.to_owned(),
                    missing: Some(typed.to_owned()),
                }
            }
        }
    }
}

/// One key typed into `text`, which holds at most `limit` characters.
fn type_key(text: &mut String, key: Key, limit: usize) {
    match key {
        Key::Delete => {
            text.pop();
        }
        _ if text.chars().count() >= limit => {}
        Key::Space => text.push(' '),
        Key::Char(character) => text.push(character),
    }
}

/// The ticket the page acts on: the one found by number, else the last one issued.
pub fn shown<'t>(today: &'t Today, state: &State) -> Option<&'t Ticket> {
    match &state.found {
        Some(_) => today.found.as_ref(),
        None => today.last.as_ref(),
    }
}

pub fn view<'a>(
    context: &Context,
    today: Option<&Today>,
    state: &State,
    zone: TimeZone,
    working: bool,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let Some(today) = today else {
        return text(Text::Loading.get(language)).size(sizes.body()).into();
    };
    let total: u32 = today.summary.services.iter().map(|c| c.issued).sum();
    let day = today.summary.business_day.to_string();
    let mut page = column![].spacing(8).width(Length::Fill);
    if state.step == Step::Showing {
        let count = total.to_string();
        page = page.push(
            text(Text::TodayTotal.fill(language, &[("day", &day), ("count", &count)]))
                .size(sizes.body())
                .font(theme::BOLD),
        );
    }
    page = page.push(ticket_line(context, today, state, zone));
    page = page.push(match &state.step {
        Step::Showing => ticket_actions(context, shown(today, state), state, working),
        Step::Finding { typed, missing } => find_pad(context, typed, missing.as_deref()),
        Step::Voiding {
            reason,
            noting: false,
            ..
        } => void_reasons(context, *reason, working),
        Step::Voiding {
            reason,
            note,
            problem,
            noting: true,
        } => note_pad(context, *reason, note, *problem, working),
    });
    if state.step == Step::Showing {
        page = page.push(figures(context, &today.summary));
    }
    page.into()
}

/// The ticket on show in one line, or why there is none.
fn ticket_line<'a>(
    context: &Context,
    today: &Today,
    state: &State,
    zone: TimeZone,
) -> Element<'a, Message> {
    let language = context.language;
    let line = match shown(today, state) {
        Some(ticket) => {
            let words = if state.found.is_some() {
                Text::FoundTicket
            } else {
                Text::LastTicket
            };
            let time = zone.local(ticket.issued_at).format("%H:%M").to_string();
            words.fill(
                language,
                &[
                    ("number", &ticket.number),
                    ("time", &time),
                    ("status", status_text(ticket.status).get(language)),
                ],
            )
        }
        None => Text::NoTicketYet.get(language).to_owned(),
    };
    text(line).size(context.sizes.body()).into()
}

/// Reprint, void and find for the ticket on show.
fn ticket_actions<'a>(
    context: &Context,
    ticket: Option<&Ticket>,
    state: &State,
    working: bool,
) -> Element<'a, Message> {
    let t = |words: Text| words.get(context.language);
    let choice = |choice| (!working).then_some(Message::Today(choice));
    let mut buttons = Vec::new();
    if ticket.is_some_and(|ticket| ticket.status != TicketStatus::Voided) {
        buttons.push(actions(
            context,
            working,
            &[(Text::ReprintLast, Request::Reprint, theme::NAVY)],
        ));
        buttons.push(sized_button(
            t(Text::VoidOpen),
            theme::RED,
            choice(Choice::VoidOpened),
            context,
        ));
    }
    buttons.push(sized_button(
        t(Text::FindNumber),
        theme::MUTED,
        choice(Choice::FindOpened),
        context,
    ));
    if state.found.is_some() {
        buttons.push(sized_button(
            t(Text::ShowLast),
            theme::MUTED,
            choice(Choice::ShowLast),
            context,
        ));
    }
    row(buttons).spacing(12).wrap().vertical_spacing(12).into()
}

/// The pad a ticket's number is typed on.
fn find_pad<'a>(context: &Context, typed: &str, missing: Option<&str>) -> Element<'a, Message> {
    let sizes = context.sizes;
    let t = |words: Text| words.get(context.language);
    let mut form = column![
        text(Text::TypeNumber.fill(context.language, &[("number", typed)]))
            .size(sizes.body())
            .font(theme::BOLD)
    ]
    .spacing(8);
    if let Some(missing) = missing {
        form = form.push(
            text(Text::NumberNotFound.fill(context.language, &[("number", missing)]))
                .size(sizes.body())
                .style(|_| text::Style {
                    color: Some(theme::RED),
                }),
        );
    }
    let find = crate::ui::widgets::big_button(
        t(Text::FindIt),
        theme::NAVY,
        Some(Message::Today(Choice::Find)),
        sizes,
    );
    form.push(keypad(
        Keys::Code,
        |key| Message::Today(Choice::NumberKey(key)),
        key_labels(context),
        KEY_HEIGHT,
        sizes,
        find,
    ))
    .push(sized_button(
        t(Text::Cancel),
        theme::MUTED,
        Some(Message::Today(Choice::Cancel)),
        context,
    ))
    .into()
}

/// The void's reasons, then "void it", "add a note" or "cancel".
fn void_reasons<'a>(
    context: &Context,
    reason: Option<VoidReason>,
    working: bool,
) -> Element<'a, Message> {
    let t = |words: Text| words.get(context.language);
    let reasons = VoidReason::ALL.map(|each| {
        let colour = if reason == Some(each) {
            theme::RED
        } else {
            theme::MUTED
        };
        let pick = Message::Today(Choice::Reason(each));
        sized_button(t(reason_text(each)), colour, Some(pick), context)
    });
    let chosen = reason.is_some() && !working;
    let buttons = row![
        sized_button(
            t(Text::VoidIt),
            theme::RED,
            chosen.then_some(Message::Today(Choice::VoidConfirmed)),
            context,
        ),
        sized_button(
            t(Text::AddNote),
            theme::NAVY,
            chosen.then_some(Message::Today(Choice::NoteOpened)),
            context,
        ),
        cancel(context),
    ]
    .spacing(12)
    .wrap()
    .vertical_spacing(12);
    column![
        text(t(Text::VoidBecause)).size(context.sizes.body()),
        row(reasons).spacing(12).wrap().vertical_spacing(12),
        buttons,
    ]
    .spacing(8)
    .into()
}

/// The void's optional note on the letter keys, whose last key voids the ticket.
fn note_pad<'a>(
    context: &Context,
    reason: Option<VoidReason>,
    note: &str,
    problem: Option<NoteProblem>,
    working: bool,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let t = |words: Text| words.get(language);
    let limit = VOID_NOTE_CHARS.to_string();
    let line = Text::VoidNote.fill(language, &[("note", note), ("limit", &limit)]);
    let mut form = column![
        row![
            text(line).size(sizes.body()).width(Length::Fill),
            cancel(context)
        ]
        .spacing(12)
        .align_y(iced::Alignment::Center)
    ]
    .spacing(8);
    if let Some(problem) = problem {
        form = form.push(
            text(t(note_problem_text(problem)))
                .size(sizes.body())
                .style(|_| text::Style {
                    color: Some(theme::RED),
                }),
        );
    }
    let confirm = (reason.is_some() && !working).then_some(Message::Today(Choice::VoidConfirmed));
    let void_it = crate::ui::widgets::big_button(t(Text::VoidIt), theme::RED, confirm, sizes);
    form.push(keypad(
        Keys::Text,
        |key| Message::Today(Choice::NoteKey(key)),
        key_labels(context),
        KEY_HEIGHT,
        sizes,
        void_it,
    ))
    .into()
}

fn cancel<'a>(context: &Context) -> Element<'a, Message> {
    sized_button(
        Text::Cancel.get(context.language),
        theme::MUTED,
        Some(Message::Today(Choice::Cancel)),
        context,
    )
}

fn key_labels(context: &Context) -> KeyLabels<'static> {
    KeyLabels {
        delete: Text::ClearDigit.get(context.language),
        space: Text::SpaceKey.get(context.language),
    }
}

/// The day's figures, agency by agency, by the names visitors read (the code where the
/// catalog no longer has it).
fn figures<'a>(context: &Context, summary: &DaySummary) -> Element<'a, Message> {
    let sizes = context.sizes;
    let catalog = context.catalog;
    let mut list = column![].spacing(8);
    let mut agency = "";
    for count in &summary.services {
        if count.agency != agency {
            agency = &count.agency;
            let name = catalog
                .agency(agency)
                .map_or(agency, |known| known.short_name.as_str());
            list = list.push(text(name.to_owned()).size(sizes.body()).font(theme::BOLD));
        }
        let service = (catalog.service(&count.service)).map_or(count.service.as_str(), |known| {
            known.name.get(context.language)
        });
        let line = Text::TodayService.fill(
            context.language,
            &[
                ("service", service),
                ("issued", &count.issued.to_string()),
                ("printed", &count.printed.to_string()),
                ("failed", &count.print_failed.to_string()),
                ("voided", &count.voided.to_string()),
            ],
        );
        list = list.push(text(line).size(sizes.small()));
    }
    list.into()
}

fn note_problem_text(problem: NoteProblem) -> Text {
    match problem {
        NoteProblem::TooLong(_) => Text::NoteTooLong,
        NoteProblem::LooksLikeNik => Text::NoteNik,
        NoteProblem::LooksLikePhone => Text::NotePhone,
    }
}

fn reason_text(reason: VoidReason) -> Text {
    match reason {
        VoidReason::PrintFailed => Text::VoidPrintFailed,
        VoidReason::VisitorLeft => Text::VoidVisitorLeft,
        VoidReason::WrongService => Text::VoidWrongService,
        VoidReason::Test => Text::VoidTest,
    }
}

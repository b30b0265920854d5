//! Speech mode in the app: a keypad key becomes the message a tap would have sent, every screen
//! that appears is announced, and each screen is a list of choices the keys move through. The
//! screens themselves know nothing of it: speech mode drives their own messages.

use iced::Task;
use iced::time::Instant;

use super::{Kiosk, Message};
use crate::ui::backend::BackendError;
use crate::ui::screen::problem::Problem;
use crate::ui::screen::survey::entry;
use crate::ui::screen::wait_lines::wait_lines;
use crate::ui::screen::{Screen, agencies, detail, done, problem, services, survey, welcome};
use crate::ui::speech::WARNING_BEFORE;
use mpp_core::catalog::Service;
use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::schedule::Availability as Open;
use mpp_core::speech::Utterance;
use mpp_core::speech::keypad::Command;
use mpp_core::speech::kiosk::{self, Availability, ServiceFacts, TicketFacts};
use mpp_core::strings::{closure_text, fee_text};
use mpp_core::ticket::Ticket;
use mpp_core::wait::expected_wait;
use mpp_station::speaker::{play_through, voice_for};

/// Choices skipped by a page jump.
const PAGE: usize = 10;
/// The test sound lasts a few seconds; a device that takes longer is stuck.
const TEST_SOUND_LONGEST: std::time::Duration = std::time::Duration::from_secs(15);

/// What choosing a choice does.
#[derive(Clone, Debug)]
enum Act {
    Send(Box<Message>),
    HearRequirements,
}

#[derive(Clone, Debug)]
struct Choice {
    label: String,
    act: Act,
}

impl Kiosk {
    /// A key pressed (by name). Outside speech mode a mapped key starts it; in it, the key's
    /// command moves, chooses, goes back, repeats, helps or sets the volume.
    pub(super) fn on_speech_key(&mut self, key: String) -> Task<Message> {
        let Some(speech) = self.speech.as_ref() else {
            return Task::none();
        };
        let Some(command) = speech.command(&key) else {
            return Task::none();
        };
        let starting = !speech.is_active();
        if matches!(self.screen, Screen::PinPad(_) | Screen::Maintenance(_)) {
            return Task::none();
        }
        self.mark_activity();
        if starting {
            if let Some(speech) = self.speech.as_mut() {
                speech.start();
            }
            self.announce_screen();
            return Task::none();
        }
        if let Some(speech) = self.speech.as_mut() {
            speech.warned = false;
        }
        self.on_command(command)
    }

    fn on_command(&mut self, command: Command) -> Task<Message> {
        let choices = self.choices();
        let language = self.language;
        let last = choices.len().saturating_sub(1);
        let focus = self
            .speech
            .as_ref()
            .map_or(0, |speech| speech.focus)
            .min(last);
        let (to, letter) = match command {
            Command::Next => (Some(focus + 1), false),
            Command::Previous => (focus.checked_sub(1), false),
            Command::PageNext => (Some((focus + PAGE).min(last)), false),
            Command::PagePrevious => (Some(focus.saturating_sub(PAGE)), false),
            Command::LetterNext | Command::LetterPrevious => (
                letter_jump(&choices, focus, command == Command::LetterNext),
                true,
            ),
            Command::Select => {
                return match choices.get(focus) {
                    Some(choice) => self.choose(choice.clone()),
                    None => Task::none(),
                };
            }
            Command::Back => return self.speech_back(),
            Command::Repeat => {
                if let Some(speech) = self.speech.as_mut() {
                    speech.repeat();
                }
                return Task::none();
            }
            Command::Help => {
                let keys = self
                    .speech
                    .as_ref()
                    .map(|speech| speech.key_names())
                    .unwrap_or_default();
                if let Some(opening) = self.opening() {
                    self.say(kiosk::help(language, opening, &keys, choices.len() > PAGE));
                }
                return Task::none();
            }
            Command::VolumeUp | Command::VolumeDown => {
                if let Some(speech) = self.speech.as_mut() {
                    let (step, steps) = speech.change_volume(command == Command::VolumeUp);
                    speech.say(kiosk::volume(language, step, steps));
                }
                return Task::none();
            }
        };
        let Some(speech) = self.speech.as_mut() else {
            return Task::none();
        };
        match to.filter(|to| *to < choices.len()) {
            Some(to) => {
                speech.focus = to;
                let letter = letter.then(|| first_letter(&choices[to].label)).flatten();
                speech.say(kiosk::item(
                    language,
                    to + 1,
                    choices.len(),
                    &choices[to].label,
                    letter,
                ));
            }
            None => {
                let forward = matches!(
                    command,
                    Command::Next | Command::PageNext | Command::LetterNext
                );
                speech.say(kiosk::list_end(language, forward));
            }
        }
        Task::none()
    }

    fn choose(&mut self, choice: Choice) -> Task<Message> {
        match choice.act {
            Act::Send(message) => {
                let before = self.screen_key();
                let task = self.update(*message);
                // Same screen (the language changed): say it again, in the new language.
                if self.screen_key() == before {
                    self.announce_screen();
                }
                task
            }
            Act::HearRequirements => {
                if let Some(service) = self.detail_service() {
                    let language = self.language;
                    let requirements: Vec<String> = service
                        .requirements
                        .iter()
                        .map(|item| item.get(language).to_owned())
                        .collect();
                    self.say(kiosk::requirements(language, &requirements));
                }
                Task::none()
            }
        }
    }

    /// The screen's own way back, as its back button would.
    fn speech_back(&mut self) -> Task<Message> {
        let message = match &self.screen {
            Screen::Agencies(_) => Message::Agencies(agencies::Message::Back),
            Screen::Services(_) => Message::Services(services::Message::Back),
            Screen::Detail(_) => Message::Detail(detail::Message::Back),
            Screen::Done(_) => Message::Done(done::Message::Finish),
            Screen::Problem(_) => Message::Problem(problem::Message::Finish),
            Screen::Survey(_) => Message::Survey(survey::Message::Entry(entry::Message::Cancel)),
            _ => {
                if let Some(speech) = self.speech.as_mut() {
                    speech.repeat();
                }
                return Task::none();
            }
        };
        // Back from the ticket or a problem ends the visit, as Finish does.
        let finishing = matches!(self.screen, Screen::Done(_) | Screen::Problem(_));
        if let Some(speech) = self.speech.as_mut() {
            speech.going_back = !finishing;
        }
        self.update(message)
    }

    /// After every message: a screen that appeared is announced; back at the start by itself
    /// or after a ticket, the visit is over and speech mode ends.
    pub(super) fn follow_speech(&mut self) {
        let key = self.screen_key();
        let Some(speech) = self.speech.as_mut() else {
            return;
        };
        if !speech.is_active() || speech.announced.as_deref() == Some(key.as_str()) {
            return;
        }
        let by_back = std::mem::take(&mut speech.going_back);
        // From the start screen in one language to it in the other, the visit goes on.
        let from_start = speech
            .announced
            .as_deref()
            .is_some_and(|key| key.starts_with("welcome:"));
        if matches!(self.screen, Screen::Welcome(_)) && !by_back && !from_start {
            speech.say(kiosk::goodbye(self.language));
            speech.end();
            return;
        }
        speech.focus = 0;
        self.announce_screen();
    }

    /// Each second: in speech mode the idle warning is said before the screen gives up.
    pub(super) fn speech_tick(&mut self, _now: Instant) {
        let left = self.time_left();
        let counting = !self.is_busy() && !matches!(self.screen, Screen::Welcome(_));
        let language = self.language;
        let Some(speech) = self.speech.as_mut() else {
            return;
        };
        if speech.is_active() && counting && !speech.warned && left <= WARNING_BEFORE {
            speech.warned = true;
            speech.say(kiosk::still_there(language, left.as_secs().max(1)));
        }
    }

    fn announce_screen(&mut self) {
        let key = self.screen_key();
        if let Some(opening) = self.opening() {
            self.say(opening);
        }
        if let Some(speech) = self.speech.as_mut() {
            speech.announced = Some(key);
        }
    }

    fn say(&mut self, utterance: Utterance) {
        if let Some(speech) = self.speech.as_mut() {
            speech.say(utterance);
        }
    }

    /// Which screen is on show, with what it is about.
    fn screen_key(&self) -> String {
        match &self.screen {
            Screen::Services(state) => format!("services:{}", state.agency),
            Screen::Detail(state) => format!("detail:{}", state.service),
            screen => format!("{}:{}", screen.name(), self.language.code()),
        }
    }

    /// What a screen says when it appears.
    fn opening(&self) -> Option<Utterance> {
        let language = self.language;
        let speech = self.speech.as_ref()?;
        let choices = self.choices();
        let first = choices
            .first()
            .map(|c| c.label.as_str())
            .unwrap_or_default();
        Some(match &self.screen {
            Screen::Welcome(_) => kiosk::welcome(
                language,
                &self.settings.mpp_name,
                self.settings.survey_days.is_some(),
                &speech.key_names(),
            ),
            Screen::Agencies(_) => {
                kiosk::agencies(language, choices.len(), first, &speech.key_names())
            }
            Screen::Services(state) => {
                let agency = self
                    .catalog
                    .agency(&state.agency)
                    .map_or(state.agency.to_string(), |agency| agency.short_name.clone());
                let most_used = !self.counts.by_service.is_empty();
                kiosk::services(language, &agency, choices.len(), first, most_used)
            }
            Screen::Detail(_) => kiosk::detail(language, &self.service_facts()?),
            Screen::Printing(_) => kiosk::printing(language),
            Screen::Done(state) => kiosk::done(language, &self.ticket_facts(&state.ticket)),
            Screen::Problem(state) => kiosk::problem(language, &self.problem_said(&state.problem)),
            Screen::Survey(_) => kiosk::survey(language, self.context().scanner_ready()),
            Screen::PinPad(_) | Screen::Maintenance(_) => return None,
        })
    }

    /// The screen's choices, in the order the keys go through them.
    fn choices(&self) -> Vec<Choice> {
        let language = self.language;
        let send = |label: String, message: Message| Choice {
            label,
            act: Act::Send(Box::new(message)),
        };
        match &self.screen {
            Screen::Welcome(_) => {
                let labels = kiosk::welcome_choices(language, self.settings.survey_days.is_some());
                let other = match language {
                    Language::Indonesian => Language::English,
                    Language::English => Language::Indonesian,
                };
                let messages = [
                    welcome::Message::Start,
                    welcome::Message::SetLanguage(other),
                    welcome::Message::StartSurvey,
                ];
                labels
                    .into_iter()
                    .zip(messages)
                    .map(|(label, message)| send(label, Message::Welcome(message)))
                    .collect()
            }
            // Alphabetical, for the first-letter jumps.
            Screen::Agencies(_) => {
                let mut agencies: Vec<_> = self.catalog.agencies.iter().collect();
                agencies.sort_by_key(|agency| agency.short_name.to_lowercase());
                agencies
                    .into_iter()
                    .map(|agency| {
                        let name = agency.name.get(language);
                        let label = if name == agency.short_name {
                            name.to_owned()
                        } else {
                            format!("{}, {name}", agency.short_name)
                        };
                        send(
                            label,
                            Message::Agencies(agencies::Message::Open(agency.code.clone())),
                        )
                    })
                    .collect()
            }
            // The most used today first (a stable sort keeps the catalog's order among equals).
            Screen::Services(state) => {
                let mut services: Vec<&Service> = self.catalog.services_of(&state.agency).collect();
                let used = |service: &Service| {
                    self.counts
                        .by_service
                        .get(&service.code)
                        .copied()
                        .unwrap_or(0)
                };
                services.sort_by_key(|service| std::cmp::Reverse(used(service)));
                services
                    .into_iter()
                    .map(|service| {
                        send(
                            service.name.get(language).to_owned(),
                            Message::Services(services::Message::Open(service.code.clone())),
                        )
                    })
                    .collect()
            }
            Screen::Detail(_) => self.detail_choices(),
            Screen::Done(_) => vec![send(
                kiosk::finish_label(language),
                Message::Done(done::Message::Finish),
            )],
            Screen::Problem(_) => vec![send(
                kiosk::finish_label(language),
                Message::Problem(problem::Message::Finish),
            )],
            Screen::Survey(_) => vec![send(
                kiosk::back_label(language),
                Message::Survey(survey::Message::Entry(entry::Message::Cancel)),
            )],
            Screen::Printing(_) | Screen::PinPad(_) | Screen::Maintenance(_) => Vec::new(),
        }
    }

    fn detail_choices(&self) -> Vec<Choice> {
        let Some(facts) = self.service_facts() else {
            return Vec::new();
        };
        let labels = kiosk::detail_choices(self.language, &facts);
        let open = matches!(facts.availability, Availability::Open { .. });
        let on_detail = |message| Act::Send(Box::new(Message::Detail(message)));
        let mut acts = Vec::new();
        if open {
            acts.push(on_detail(detail::Message::Take(Lane::Regular)));
            if facts.priority {
                acts.push(on_detail(detail::Message::Take(Lane::Priority)));
            }
        }
        acts.push(Act::HearRequirements);
        acts.push(on_detail(detail::Message::Back));
        labels
            .into_iter()
            .zip(acts)
            .map(|(label, act)| Choice { label, act })
            .collect()
    }

    fn detail_service(&self) -> Option<&Service> {
        match &self.screen {
            Screen::Detail(state) => self.catalog.service(&state.service),
            _ => None,
        }
    }

    /// The detail screen's facts, as it shows them.
    fn service_facts(&self) -> Option<ServiceFacts> {
        let service = self.detail_service()?;
        let context = self.context();
        let language = self.language;
        let availability = match context.availability(service) {
            Open::Open { quota_left, cutoff } => Availability::Open {
                until: cutoff.to_string(),
                quota_left,
            },
            Open::Closed(closure) => {
                Availability::Closed(closure_text(&closure, context.local_now.date(), language))
            }
        };
        let heard = self.counts.waiting.get(&service.queue);
        let ahead = heard.map(|queue| queue.ahead);
        let wait = heard.and_then(|queue| expected_wait(queue.ahead, queue.pace));
        let queue = match wait_lines(ahead, wait, &context) {
            Some(lines) => lines.ahead.into_iter().chain([lines.wait]).collect(),
            None => Vec::new(),
        };
        Some(ServiceFacts {
            name: service.name.get(language).to_owned(),
            availability,
            fee: fee_text(&service.fee, language),
            duration: service.duration.get(language).to_owned(),
            counter: service.counter.get(language).to_owned(),
            location: self.location_of(service),
            queue,
            requirements: service
                .requirements
                .iter()
                .map(|item| item.get(language).to_owned())
                .collect(),
            priority: service.priority,
        })
    }

    fn location_of(&self, service: &Service) -> String {
        self.catalog
            .agency(&service.agency)
            .map(|agency| agency.location.get(self.language).to_owned())
            .unwrap_or_default()
    }

    /// A ticket as the done screen shows it.
    fn ticket_facts(&self, ticket: &Ticket) -> TicketFacts {
        let language = self.language;
        let service = self.catalog.service(&ticket.service);
        let context = self.context();
        let wait = wait_lines(ticket.people_ahead, ticket.expected_wait, &context);
        TicketFacts {
            number: ticket.number.clone(),
            priority: ticket.lane.is_priority(),
            service: service.map_or(ticket.service.to_string(), |s| {
                s.name.get(language).to_owned()
            }),
            counter: service
                .map(|s| s.counter.get(language).to_owned())
                .unwrap_or_default(),
            location: service.map(|s| self.location_of(s)).unwrap_or_default(),
            ahead: ticket.people_ahead,
            wait: wait.map(|lines| lines.wait),
        }
    }

    fn problem_said(&self, shown: &Problem) -> kiosk::Problem {
        match shown {
            Problem::NotPrinted { ticket, .. } => {
                kiosk::Problem::NotPrinted(self.ticket_facts(ticket))
            }
            Problem::Closed { day, closure } => {
                kiosk::Problem::Closed(closure_text(closure, *day, self.language))
            }
            Problem::OutOfNumbers => kiosk::Problem::OutOfNumbers,
            Problem::Fault => kiosk::Problem::Fault,
        }
    }

    /// The maintenance menu's test sound: the sample played on the headphone output, done
    /// when the device took it (a failure names why, for the log).
    pub(super) fn test_sound(
        &self,
    ) -> impl std::future::Future<Output = Result<String, BackendError>> + use<> {
        let settings = self.settings.speech.clone();
        let language = self.language;
        async move {
            let settings =
                settings.ok_or_else(|| BackendError::Maintenance("speech mode is off".into()))?;
            tokio::task::spawn_blocking(move || {
                let wav = voice_for(&settings)
                    .wav(&kiosk::sample(language))
                    .map_err(|error| BackendError::Maintenance(error.to_string()))?;
                let output = play_through(&settings.device, &wav, TEST_SOUND_LONGEST);
                if output.is_ready() {
                    Ok(output.to_string())
                } else {
                    Err(BackendError::Maintenance(output.to_string()))
                }
            })
            .await?
        }
    }

    /// The keypad's keys, where speech mode is configured.
    pub(super) fn speech_keys(&self) -> iced::Subscription<Message> {
        match self.speech {
            Some(_) => crate::ui::speech::keys().map(Message::SpeechKey),
            None => iced::Subscription::none(),
        }
    }

    /// Everything speech mode said this run, as plain text (for the simulator's tests).
    pub fn speech_said(&self) -> &[String] {
        self.speech.as_ref().map_or(&[], |speech| speech.said())
    }

    /// Whether a visitor has speech mode on.
    pub fn speech_active(&self) -> bool {
        self.speech
            .as_ref()
            .is_some_and(|speech| speech.is_active())
    }
}

/// The first letter of a choice, upper case.
fn first_letter(label: &str) -> Option<char> {
    label
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().next().unwrap_or(c))
}

/// The first choice after (or the first of the letter before) `from` whose first letter is
/// another than `from`'s.
fn letter_jump(choices: &[Choice], from: usize, forward: bool) -> Option<usize> {
    let letter = |at: usize| first_letter(&choices[at].label);
    let here = letter(from);
    if forward {
        (from + 1..choices.len()).find(|&at| letter(at) != here)
    } else {
        // Back to the start of the previous letter's run.
        let before = (0..from).rev().find(|&at| letter(at) != here)?;
        let previous = letter(before);
        Some(
            (0..=before)
                .rev()
                .take_while(|&at| letter(at) == previous)
                .last()
                .unwrap_or(before),
        )
    }
}

//! "About you": the respondent's age band, sex, education and occupation, one at a time, each
//! optional. A choice moves on; Skip moves on without one.

use iced::widget::{Column, Row, column, container, responsive, text};
use iced::{Element, Length, Size};

use super::Draft;
use crate::ui::screen::Context;
use crate::ui::theme;
use crate::ui::widgets::{big_button, header_sized, tap};
use mpp_core::lang::Language;
use mpp_core::survey::respondent::{AgeBand, Education, Occupation, Sex};
use mpp_core::survey::text::Text;

/// The facts, in the order asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fact {
    Age,
    Sex,
    Education,
    Occupation,
}

impl Fact {
    pub const ALL: [Fact; 4] = [Fact::Age, Fact::Sex, Fact::Education, Fact::Occupation];

    fn title(self) -> Text {
        match self {
            Fact::Age => Text::Age,
            Fact::Sex => Text::Sex,
            Fact::Education => Text::Education,
            Fact::Occupation => Text::Occupation,
        }
    }

    /// How many choices the fact offers.
    pub fn choices(self) -> usize {
        match self {
            Fact::Age => AgeBand::ALL.len(),
            Fact::Sex => Sex::ALL.len(),
            Fact::Education => Education::ALL.len(),
            Fact::Occupation => Occupation::ALL.len(),
        }
    }

    fn label(self, choice: usize, language: Language) -> &'static str {
        match self {
            Fact::Age => AgeBand::ALL[choice].label(language),
            Fact::Sex => Sex::ALL[choice].label(language),
            Fact::Education => Education::ALL[choice].label(language),
            Fact::Occupation => Occupation::ALL[choice].label(language),
        }
    }

    /// The choice the draft holds for this fact, by its place in the list.
    fn chosen(self, draft: &Draft) -> Option<usize> {
        let facts = &draft.respondent;
        match self {
            Fact::Age => facts
                .age
                .and_then(|v| AgeBand::ALL.iter().position(|x| *x == v)),
            Fact::Sex => facts
                .sex
                .and_then(|v| Sex::ALL.iter().position(|x| *x == v)),
            Fact::Education => facts
                .education
                .and_then(|v| Education::ALL.iter().position(|x| *x == v)),
            Fact::Occupation => facts
                .occupation
                .and_then(|v| Occupation::ALL.iter().position(|x| *x == v)),
        }
    }

    fn choose(self, choice: usize, draft: &mut Draft) {
        let facts = &mut draft.respondent;
        match self {
            Fact::Age => facts.age = AgeBand::ALL.get(choice).copied(),
            Fact::Sex => facts.sex = Sex::ALL.get(choice).copied(),
            Fact::Education => facts.education = Education::ALL.get(choice).copied(),
            Fact::Occupation => facts.occupation = Occupation::ALL.get(choice).copied(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// Which fact, 0 for age.
    pub index: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The visitor chose the choice at this place in the list.
    Choose(usize),
    /// Move on without saying.
    Skip,
    Back,
}

/// What the survey should do after a message.
pub enum Action {
    Next,
    Back,
}

impl State {
    pub fn fact(&self) -> Fact {
        Fact::ALL[self.index]
    }

    pub fn update(&mut self, message: Message, draft: &mut Draft) -> Action {
        match message {
            Message::Choose(choice) => {
                self.fact().choose(choice, draft);
                Action::Next
            }
            Message::Skip => Action::Next,
            Message::Back => Action::Back,
        }
    }

    pub fn view<'a>(&'a self, draft: &'a Draft, context: &Context<'a>) -> Element<'a, Message> {
        let context = context.clone();
        responsive(move |size| view(self, draft, &context, size)).into()
    }
}

fn view<'a>(state: &State, draft: &Draft, context: &Context, size: Size) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let short = size.height < 700.0 * sizes.scale;
    let fact = state.fact();
    let header = header_sized(
        Text::AboutYou.get(language),
        sizes.body() * 1.15,
        Text::Back.get(language),
        Message::Back,
        sizes,
    );
    let columns = if size.width < 900.0 * sizes.scale || size.height > size.width {
        2
    } else {
        3
    };
    let chosen = fact.chosen(draft);
    let high_contrast = context.high_contrast;
    let mut grid = Column::new().spacing(12);
    let mut line = Row::new().spacing(12);
    for choice in 0..fact.choices() {
        let picked = chosen == Some(choice);
        let chip = container(
            text(fact.label(choice, language))
                .size(sizes.body())
                .font(theme::SEMIBOLD)
                .center()
                .width(Length::Fill),
        )
        .padding([18.0, 16.0])
        .width(Length::Fill)
        .style(move |_| {
            if picked {
                theme::outlined(theme::WHITE, theme::NAVY)
            } else {
                theme::card(high_contrast)
            }
        });
        line = line.push(container(tap(chip, Some(Message::Choose(choice)))).width(Length::Fill));
        if (choice + 1) % columns == 0 {
            grid = grid.push(std::mem::replace(&mut line, Row::new().spacing(12)));
        }
    }
    let rest = fact.choices() % columns;
    if rest != 0 {
        for _ in rest..columns {
            line = line.push(iced::widget::Space::new().width(Length::Fill));
        }
        grid = grid.push(line);
    }
    let body = column![
        text(Text::FactProgress.fill(
            language,
            &[
                ("n", &(state.index + 1).to_string()),
                ("total", &Fact::ALL.len().to_string())
            ]
        ))
        .size(sizes.small())
        .style(theme::muted),
        text(fact.title().get(language))
            .size(sizes.heading())
            .font(theme::BOLD),
        grid,
        big_button(
            Text::Skip.get(language),
            theme::MUTED,
            Some(Message::Skip),
            sizes
        ),
    ]
    .spacing(if short { 10 } else { 20 });
    column![header, container(body).padding(if short { 12 } else { 32 })]
        .width(Length::Fill)
        .height(Length::Fill)
        .into()
}

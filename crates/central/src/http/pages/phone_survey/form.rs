//! The phone survey's pages: the form (nine questions, four answers each as radio buttons,
//! the optional facts as lists, the optional suggestion), the thanks, and the notices for a
//! ticket that cannot be rated. Plain HTML without a script, both languages as on the ticket
//! page (the chosen one first, the other beneath), answers kept when the form comes back.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};

use crate::http::html::{both, page, respond};
use crate::http::pages::phone_survey::text::Text as PhoneText;
use mpp_core::lang::Language;
use mpp_core::survey::respondent::{AgeBand, Education, Occupation, Respondent, Sex};
use mpp_core::survey::suggestion::MAX_CHARS;
use mpp_core::survey::text::Text as SurveyWords;
use mpp_core::survey::{Element, Rating};

/// What the visitor filled in, as the form sent it (kept when it comes back with a problem).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filled {
    pub answers: BTreeMap<Element, Rating>,
    pub respondent: Respondent,
    pub suggestion: String,
}

impl Filled {
    /// The fields of a posted form: `<element code>=1..4`, `age`, `sex`, `education`,
    /// `occupation` (stable codes; empty or unknown is "not given"), `suggestion`.
    pub fn read(fields: &[(String, String)]) -> Self {
        let mut filled = Filled::default();
        for (name, value) in fields {
            let value = value.as_str();
            match name.as_str() {
                "age" => filled.respondent.age = AgeBand::parse(value),
                "sex" => filled.respondent.sex = Sex::parse(value),
                "education" => filled.respondent.education = Education::parse(value),
                "occupation" => filled.respondent.occupation = Occupation::parse(value),
                "suggestion" => filled.suggestion = value.to_owned(),
                code => {
                    let rating = value.parse().ok().and_then(Rating::new);
                    if let (Some(element), Some(rating)) = (Element::parse(code), rating) {
                        filled.answers.insert(element, rating);
                    }
                }
            }
        }
        filled
    }

    /// The regulation's labels of the questions not answered, `U3, U7`.
    pub fn missing(&self) -> Option<String> {
        let missing: Vec<&str> = Element::ALL
            .into_iter()
            .filter(|element| !self.answers.contains_key(element))
            .map(Element::regulation_label)
            .collect();
        (!missing.is_empty()).then(|| missing.join(", "))
    }
}

/// A phone sentence in the page's two languages.
pub fn said(text: PhoneText, langs: [Language; 2]) -> Markup {
    both(text.get(langs[0]), text.get(langs[1]), langs)
}

/// A kiosk survey sentence in the page's two languages.
pub fn worded(text: SurveyWords, langs: [Language; 2]) -> Markup {
    both(text.get(langs[0]), text.get(langs[1]), langs)
}

/// Everything the form page shows.
pub struct Form<'a> {
    pub mpp: &'a str,
    pub number: &'a str,
    pub service: Markup,
    /// Where the form posts to (and the language switch points at, in the other language).
    pub action: String,
    pub switch: String,
    pub langs: [Language; 2],
    pub filled: &'a Filled,
    pub problem: Option<Markup>,
}

impl Form<'_> {
    pub fn render(&self) -> String {
        let langs = self.langs;
        let body = html! {
            main { div class="card" {
                // On top: a visitor who reads the other language need not scroll 9 questions.
                p class="switch" { a href=(self.switch) lang=(langs[1].code()) { (langs[1].native_name()) } }
                p class="mpp" { (self.mpp) }
                h1 { (worded(SurveyWords::Title, langs)) }
                p { (both(
                    &PhoneText::TicketLine.fill(langs[0], &[("number", self.number)]),
                    &PhoneText::TicketLine.fill(langs[1], &[("number", self.number)]),
                    langs,
                )) }
                p { (self.service) }
                p class="small" { (said(PhoneText::Intro, langs)) }
                @if let Some(problem) = &self.problem {
                    p class="status bad" { (problem) }
                }
                form method="post" action=(self.action) {
                    @for element in Element::ALL {
                        (self.question(element))
                    }
                    (self.facts())
                    fieldset {
                        legend { (worded(SurveyWords::SuggestionTitle, langs)) }
                        p class="small" { (worded(SurveyWords::SuggestionHint, langs)) }
                        textarea name="suggestion" rows="4" maxlength=(MAX_CHARS) {
                            (self.filled.suggestion)
                        }
                    }
                    p { button type="submit" class="primary" { (worded(SurveyWords::Finish, langs)) } }
                }
            } }
        };
        page(SurveyWords::Title.get(langs[0]), langs[0], None, body)
    }

    fn question(&self, element: Element) -> Markup {
        let langs = self.langs;
        let (first, second) = (element.wording(langs[0]), element.wording(langs[1]));
        let chosen = self.filled.answers.get(&element).copied();
        html! {
            fieldset {
                legend { (element.regulation_label()) ". " (both(first.question, second.question, langs)) }
                @for rating in Rating::ALL {
                    label class="choice" {
                        input type="radio" name=(element.code()) value=(rating.value())
                            required[rating.value() == 1] checked[chosen == Some(rating)];
                        span { (both(rating.words(element, langs[0]), rating.words(element, langs[1]), langs)) }
                    }
                }
            }
        }
    }

    fn facts(&self) -> Markup {
        let (langs, facts) = (self.langs, &self.filled.respondent);
        html! {
            fieldset {
                legend { (worded(SurveyWords::AboutYou, langs)) }
                (choose("age", SurveyWords::Age, AgeBand::ALL, facts.age, AgeBand::code, AgeBand::label, langs))
                (choose("sex", SurveyWords::Sex, Sex::ALL, facts.sex, Sex::code, Sex::label, langs))
                (choose("education", SurveyWords::Education, Education::ALL, facts.education, Education::code, Education::label, langs))
                (choose("occupation", SurveyWords::Occupation, Occupation::ALL, facts.occupation, Occupation::code, Occupation::label, langs))
            }
        }
    }
}

/// One optional fact as a list, "not given" first.
fn choose<T: Copy + PartialEq>(
    name: &str,
    title: SurveyWords,
    all: &[T],
    chosen: Option<T>,
    code: fn(T) -> &'static str,
    label: fn(T, Language) -> &'static str,
    langs: [Language; 2],
) -> Markup {
    let in_both = |value: T| format!("{} / {}", label(value, langs[0]), label(value, langs[1]));
    html! {
        p {
            label for=(name) { (worded(title, langs)) }
            select id=(name) name=(name) {
                option value="" selected[chosen.is_none()] {
                    (PhoneText::NotGiven.get(langs[0])) " / " (PhoneText::NotGiven.get(langs[1]))
                }
                @for value in all {
                    option value=(code(*value)) selected[chosen == Some(*value)] { (in_both(*value)) }
                }
            }
        }
    }
}

/// A short page: a title, what it means, and the way back to the ticket.
pub fn notice(
    status: StatusCode,
    title: Markup,
    help: Markup,
    heading: &str,
    back: &str,
    langs: [Language; 2],
) -> Response {
    let body = html! {
        main { div class="card" {
            p class="status bad" { (title) }
            p { (help) }
            p { a href=(back) { (said(PhoneText::BackToTicket, langs)) } }
        } }
    };
    respond(status, page(heading, langs[0], None, body))
}

/// The thanks after the answers were stored.
pub fn thanks(back: &str, langs: [Language; 2]) -> Response {
    let body = html! {
        main { div class="card" {
            p class="status done" { (worded(SurveyWords::Thanks, langs)) }
            p { (worded(SurveyWords::ThanksBody, langs)) }
            p { a href=(back) { (said(PhoneText::BackToTicket, langs)) } }
        } }
    };
    respond(
        StatusCode::OK,
        page(SurveyWords::Thanks.get(langs[0]), langs[0], None, body),
    )
}

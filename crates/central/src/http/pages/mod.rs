//! The server's HTML pages, one module each: the ticket's page and its phone survey (for
//! visitors), the sign-in, the fleet and the satisfaction report (for staff).

pub mod fleet;
pub mod ikm;
pub mod login;
pub mod phone_survey;
pub mod ticket;

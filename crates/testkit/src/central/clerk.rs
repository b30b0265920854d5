//! A counter clerk ([`CLERK`], points Loket 1 and 2) at the console, signed in with their
//! account: presses as the browser sends them.

use reqwest::StatusCode;

use super::{CLERK, Server, client_without_redirects, get_with_cookie, session_of};
use crate::html;

/// A signed-in clerk: their session's cookie and the console's form value.
pub struct Clerk<'a> {
    pub server: &'a Server,
    pub cookie: String,
    pub form: String,
}

impl<'a> Clerk<'a> {
    pub async fn sign_in(server: &'a Server) -> Clerk<'a> {
        let cookie = session_of(server, CLERK.name, CLERK.password).await;
        let page = Self::get(server, &cookie, "/counter").await.1;
        let form = html::tags(&page, "input")
            .into_iter()
            .find(|tag| tag.attribute("name") == Some("form"))
            .and_then(|tag| tag.attribute("value").map(str::to_owned))
            .expect("the form value");
        Clerk {
            server,
            cookie,
            form,
        }
    }

    pub async fn get(server: &Server, cookie: &str, path: &str) -> (StatusCode, String) {
        let answer = get_with_cookie(server, path, cookie).await;
        let status = answer.status();
        (status, answer.text().await.expect("page"))
    }

    /// A press at `point`: the status and the line that says what came of it.
    pub async fn press(&self, point: &str, action: &str) -> (StatusCode, String, String) {
        self.post(point, action, "").await
    }

    /// `POST /counter` with this clerk's form value and `more` fields (`&number=…`).
    pub async fn post(
        &self,
        point: &str,
        action: &str,
        more: &str,
    ) -> (StatusCode, String, String) {
        let body = format!(
            "form={}&point={}&action={action}{more}",
            self.form,
            point.replace(' ', "+")
        );
        let answer = client_without_redirects()
            .post(self.server.url("/counter"))
            .header(reqwest::header::COOKIE, &self.cookie)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body)
            .send()
            .await
            .expect("press");
        let status = answer.status();
        let page = answer.text().await.expect("page");
        let said = html::tags(&page, "p")
            .into_iter()
            .chain(html::tags(&page, "div"))
            .find_map(|tag| tag.attribute("data-said").map(str::to_owned))
            .unwrap_or_default();
        (status, said, page)
    }
}

//! The dashboard in a real headless Chromium (`mpp_testkit::browser`) against a real
//! `mpp-central`, on the hand-worked morning of `dashboard::`: at 1366 and 390 px wide its
//! stylesheet loads (the page's policy lets it), nothing is refused or cut off (the tables
//! scroll sideways inside their own box on a phone), the three pictures are drawn, and the
//! print layout fits A4. Pictures go to `$MPP_SCREENSHOTS` when it names a folder
//! (docs/screenshots/dashboard/).

use mpp_testkit::browser::Browser;
use mpp_testkit::central::*;

use crate::browser_pages::picture;
use crate::dashboard::fixture_morning;

/// Elements reaching past the window's right edge, outside the tables' scrolling boxes.
const CUT_OFF: &str = "[...document.querySelectorAll('main *')]\
    .filter(e => !e.closest('.scroll'))\
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)\
    .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 30))";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_reads_at_desk_and_phone_widths_with_its_pictures() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let mut server = Server::builder().now(morning()).start();
    fixture_morning(&mut server).await;
    let cookie = session_of(&server, HEAD.name, HEAD.password).await;
    let (name, value) = cookie.split_once('=').expect("name=value");
    let url = server.url(&format!("/dashboard?period=day&date={MORNING_DAY}"));
    for (width, height) in [(1366, 900), (390, 844)] {
        tokio::task::block_in_place(|| {
            let page = browser.open(&server.url("/login"), width, height);
            page.set_cookie(name, value, &server.url("/"));
            page.goto(&url);
            let styled =
                page.eval("getComputedStyle(document.querySelector('.tile-value')).fontWeight");
            assert_eq!(
                styled.as_str(),
                Some("800"),
                "the stylesheet applies at {width}"
            );
            // Each bar drawn beside the others, none inside another (an SVG element without
            // its end tag would swallow the rest).
            let nested = page.eval("document.querySelectorAll('figure svg rect rect').length");
            assert_eq!(nested.as_i64(), Some(0), "nested bars at {width}");
            let bars = page.eval(
                "[...document.querySelectorAll('figure svg rect')]\
                 .filter(r => r.getBoundingClientRect().width > 0).length",
            );
            assert!(bars.as_i64().unwrap_or(0) > 10, "pictures drawn: {bars}");
            let cut = page.eval(&format!("JSON.stringify({CUT_OFF})"));
            assert_eq!(cut.as_str(), Some("[]"), "cut off at {width} px");
            let errors: Vec<_> = (page.console_messages().into_iter())
                .filter(|message| message.is_error() && !message.text.contains("favicon.ico"))
                .collect();
            assert!(errors.is_empty(), "nothing refused at {width}: {errors:?}");
            picture(&page, &format!("dashboard-day-{width}"));
            page.goto(&server.url(&format!(
                "/dashboard/province?period=day&date={MORNING_DAY}"
            )));
            let cut = page.eval(&format!("JSON.stringify({CUT_OFF})"));
            assert_eq!(cut.as_str(), Some("[]"), "province cut off at {width} px");
            picture(&page, &format!("province-day-{width}"));
        });
    }
}

//! A whole request body must arrive within `body_timeout` of its head: a client that trickles
//! it a byte at a time is cut off (a deadline for the whole body, not for each piece). The
//! handler reading it gets an error that [`timed_out`] recognises, answered 408.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use http_body::{Frame, SizeHint};
use tokio::time::{Instant, Sleep};

/// Every request's body, with its deadline set from now (a request without one is left be).
pub async fn with_deadline(limit: Duration, request: Request) -> Request {
    use http_body::Body as _;
    if request.body().is_end_stream() {
        return request;
    }
    request.map(|body| Body::new(DeadlineBody::new(body, limit)))
}

/// Why a body stopped: its deadline passed.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {} s", .0.as_secs())]
pub struct BodyTimedOut(pub Duration);

/// Whether `error` (or one of its sources) is a [`BodyTimedOut`], and its limit.
pub fn timed_out(error: &(dyn Error + 'static)) -> Option<Duration> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(timed_out) = error.downcast_ref::<BodyTimedOut>() {
            return Some(timed_out.0);
        }
        current = error.source();
    }
    None
}

struct DeadlineBody {
    inner: Body,
    limit: Duration,
    until: Instant,
    /// Made only when the body first has to wait: most bodies never do.
    sleep: Option<Pin<Box<Sleep>>>,
}

impl DeadlineBody {
    fn new(inner: Body, limit: Duration) -> Self {
        Self {
            inner,
            limit,
            until: Instant::now() + limit,
            sleep: None,
        }
    }
}

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = Box<dyn Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|frame| frame.map_err(Into::into)));
        }
        let until = self.until;
        let sleep = self
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(until)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimedOut(self.limit))))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;
    use std::convert::Infallible;

    /// A body that sends one byte every half second, for ever.
    struct Trickle(tokio::time::Interval);

    impl http_body::Body for Trickle {
        type Data = Bytes;
        type Error = Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            self.0
                .poll_tick(cx)
                .map(|_| Some(Ok(Frame::data(Bytes::from_static(b"x")))))
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_trickled_body_fails_at_the_deadline_and_a_prompt_one_passes() {
        let limit = Duration::from_secs(2);
        let prompt = Body::new(DeadlineBody::new(Body::from("{}"), limit));
        assert_eq!(to_bytes(prompt, 64).await.expect("read"), "{}");

        let trickle = Trickle(tokio::time::interval(Duration::from_millis(500)));
        let slow = Body::new(DeadlineBody::new(Body::new(trickle), limit));
        let started = Instant::now();
        let error = to_bytes(slow, 1 << 20).await.expect_err("cut off");
        assert_eq!(started.elapsed(), limit);
        assert_eq!(timed_out(&error), Some(limit));
        assert_eq!(timed_out(&std::io::Error::other("else")), None);
    }
}

//! A request body as its connection sees it: how much has come in since it was first read, so
//! that at the connection cap a body trickling in can be told apart from one keeping pace.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Bytes;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;

use crate::net::connections::Activity;

/// The body of a request, reporting to its connection's [`Activity`].
pub struct WatchedBody {
    inner: Incoming,
    activity: Arc<Activity>,
}

impl WatchedBody {
    pub fn new(inner: Incoming, activity: Arc<Activity>) -> Self {
        Self { inner, activity }
    }
}

impl http_body::Body for WatchedBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let poll = Pin::new(&mut self.inner).poll_frame(cx);
        match &poll {
            Poll::Ready(Some(Ok(frame))) => {
                let bytes = frame.data_ref().map_or(0, Bytes::len);
                self.activity.body_read(bytes);
            }
            Poll::Ready(None | Some(Err(_))) => self.activity.body_ended(),
            Poll::Pending => self.activity.body_read(0),
        }
        poll
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for WatchedBody {
    fn drop(&mut self) {
        self.activity.body_ended();
    }
}

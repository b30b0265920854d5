//! HTTP calls to the central server, one function per endpoint, each turning every answer
//! into either a result or an error that says whether trying again can help. Every answer is
//! read in chunks up to a limit suited to its endpoint: this process also draws the screen, and
//! a runaway answer must not take its memory.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, ETAG, IF_NONE_MATCH};

use super::SyncError;
use mpp_core::closure_sync::{ClosureBatch, ClosureOutcome, DayClosures};
use mpp_core::protocol::{
    API, ApiError, AuditBatch, AuditOutcome, BatchOutcome, EventBatch, Heartbeat, NumbersUsed,
    QueueReport, SURVEYS_PATH, SurveyBatch, SurveyOutcome,
};
use mpp_core::validate::ValidCatalog;

/// Longest wait for one request: a slow server is treated like a down one.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Largest batch outcome read: three id lists of at most one batch each.
const OUTCOME_LIMIT: usize = 1 << 20;
/// Largest catalog read: many times the largest MPP's catalog.
const CATALOG_LIMIT: usize = 8 << 20;
/// Largest queue report read: a few counts per queue.
const QUEUES_LIMIT: usize = 256 << 10;
/// Largest numbers answer read: one highest number per queue and lane.
const NUMBERS_LIMIT: usize = 256 << 10;
/// Largest heartbeat answer or error body read: a sentence at most.
const SHORT_LIMIT: usize = 64 << 10;
/// A day's closures: every one of an MPP's ~270 services closed is some 35 KiB.
const CLOSURES_LIMIT: usize = 256 << 10;

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    bearer: String,
}

/// A catalog fetched from the server, with its raw JSON for the store.
pub struct FetchedCatalog {
    pub catalog: ValidCatalog,
    pub json: String,
    pub etag: Option<String>,
}

impl Client {
    pub fn new(server_url: &str, token: &str) -> Result<Self, SyncError> {
        Self::with_timeout(server_url, token, REQUEST_TIMEOUT)
    }

    /// A client that gives up on a request after `timeout`.
    pub fn with_timeout(
        server_url: &str,
        token: &str,
        timeout: Duration,
    ) -> Result<Self, SyncError> {
        install_tls_provider();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("mpp-kiosk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| SyncError::Config(format!("cannot build the HTTP client: {error}")))?;
        Ok(Self {
            http,
            base: format!("{}{API}", server_url.trim_end_matches('/')),
            bearer: format!("Bearer {token}"),
        })
    }

    /// Sends a batch; 200 and 409 both carry an outcome (409: some events conflicted).
    pub async fn push(&self, batch: &EventBatch) -> Result<BatchOutcome, SyncError> {
        self.post_for_outcome(
            "events",
            "/events",
            batch,
            &[StatusCode::OK, StatusCode::CONFLICT],
        )
        .await
    }

    /// An authenticated POST of `body` as JSON; an answer in `carry_outcome` is read (up to
    /// the outcome limit) as `T`, any other is a refusal.
    async fn post_for_outcome<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: &str,
        path: &str,
        body: &impl serde::Serialize,
        carry_outcome: &[StatusCode],
    ) -> Result<T, SyncError> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header(AUTHORIZATION, &self.bearer)
            .json(body)
            .send()
            .await
            .map_err(SyncError::network)?;
        let status = response.status();
        if !carry_outcome.contains(&status) {
            return Err(refusal(endpoint, status, response).await);
        }
        let body = read_limited(endpoint, response, OUTCOME_LIMIT).await?;
        serde_json::from_slice(&body).map_err(|error| SyncError::garbage(endpoint, &error, &body))
    }

    /// Fetches the catalog unless it is unchanged since `etag`.
    pub async fn catalog(&self, etag: Option<&str>) -> Result<Option<FetchedCatalog>, SyncError> {
        let mut request = self
            .http
            .get(format!("{}/catalog", self.base))
            .header(AUTHORIZATION, &self.bearer);
        if let Some(etag) = etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        let response = request.send().await.map_err(SyncError::network)?;
        match response.status() {
            StatusCode::NOT_MODIFIED => Ok(None),
            StatusCode::OK => {
                let etag = response
                    .headers()
                    .get(ETAG)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned);
                let body = read_limited("catalog", response, CATALOG_LIMIT).await?;
                let json = String::from_utf8_lossy(&body).into_owned();
                let catalog = crate::catalog_source::parse(&json, "the server's catalog")
                    .map_err(|error| SyncError::BadCatalog(error.to_string()))?;
                Ok(Some(FetchedCatalog {
                    catalog,
                    json,
                    etag,
                }))
            }
            status => Err(refusal("catalog", status, response).await),
        }
    }

    /// Sends survey responses (`POST /api/v1/surveys`); an older server answers 404.
    pub async fn push_surveys(&self, batch: &SurveyBatch) -> Result<SurveyOutcome, SyncError> {
        self.post_for_outcome("surveys", SURVEYS_PATH, batch, &[StatusCode::OK])
            .await
    }

    /// Sends audit entries (`POST /api/v1/audit`); the answer lists every id the server holds.
    pub async fn push_audit(&self, batch: &AuditBatch) -> Result<AuditOutcome, SyncError> {
        self.post_for_outcome("audit", "/audit", batch, &[StatusCode::OK])
            .await
    }

    pub async fn push_closures(&self, batch: &ClosureBatch) -> Result<ClosureOutcome, SyncError> {
        self.post_for_outcome("closures", "/closures", batch, &[StatusCode::OK])
            .await
    }

    /// The services the MPP's staff closed on `day`, at any of its kiosks.
    pub async fn day_closures(&self, day: chrono::NaiveDate) -> Result<DayClosures, SyncError> {
        self.get_json("closures", &format!("closures?day={day}"), CLOSURES_LIMIT)
            .await
    }

    pub async fn heartbeat(&self, heartbeat: &Heartbeat) -> Result<(), SyncError> {
        let response = self
            .http
            .post(format!("{}/heartbeat", self.base))
            .header(AUTHORIZATION, &self.bearer)
            .json(heartbeat)
            .send()
            .await
            .map_err(SyncError::network)?;
        match response.status() {
            status if status.is_success() => {
                read_limited("heartbeat", response, SHORT_LIMIT).await?;
                Ok(())
            }
            status => Err(refusal("heartbeat", status, response).await),
        }
    }

    pub async fn queues(&self, day: chrono::NaiveDate) -> Result<QueueReport, SyncError> {
        self.get_json(
            "queues",
            &format!("queues?day={day}&estimates=1"),
            QUEUES_LIMIT,
        )
        .await
    }

    /// The highest numbers this kiosk printed on `day`, per queue and lane, as the server has
    /// them (`GET /api/v1/numbers`): where a new database must carry on from.
    pub async fn numbers_used(&self, day: chrono::NaiveDate) -> Result<NumbersUsed, SyncError> {
        self.get_json("numbers", &format!("numbers?day={day}"), NUMBERS_LIMIT)
            .await
    }

    /// An authenticated GET of `path` under the API, read up to `limit` bytes as JSON.
    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: &str,
        path: &str,
        limit: usize,
    ) -> Result<T, SyncError> {
        let response = self
            .http
            .get(format!("{}/{path}", self.base))
            .header(AUTHORIZATION, &self.bearer)
            .send()
            .await
            .map_err(SyncError::network)?;
        match response.status() {
            StatusCode::OK => {
                let body = read_limited(endpoint, response, limit).await?;
                serde_json::from_slice(&body)
                    .map_err(|error| SyncError::garbage(endpoint, &error, &body))
            }
            status => Err(refusal(endpoint, status, response).await),
        }
    }
}

/// Turns a non-success answer into the right error: 401/403 are configuration, not weather.
async fn refusal(endpoint: &str, status: StatusCode, response: reqwest::Response) -> SyncError {
    let message = match read_limited(endpoint, response, SHORT_LIMIT).await {
        Ok(body) => serde_json::from_slice::<ApiError>(&body)
            .map(|error| error.error)
            .unwrap_or_else(|_| String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned()),
        Err(too_large @ SyncError::TooLarge { .. }) => too_large.to_string(),
        // The status says enough when the body is lost.
        Err(_) => String::new(),
    };
    match status {
        // 401 is the token; 403 is about what was sent (another kiosk's tickets), said below.
        StatusCode::UNAUTHORIZED => SyncError::Unauthorized(format!(
            "the server refused this kiosk's token ({status}): check [sync] token in kiosk.toml and the server's [[kiosk]] entry ({message})"
        )),
        status => SyncError::Server {
            endpoint: endpoint.to_owned(),
            status: status.as_u16(),
            message,
        },
    }
}

/// The whole body of `response`, chunk by chunk, refused as soon as it would pass `limit`
/// bytes: neither a lying nor a missing `Content-Length` makes it read more.
async fn read_limited(
    endpoint: &str,
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, SyncError> {
    let too_large = || SyncError::TooLarge {
        endpoint: endpoint.to_owned(),
        limit,
    };
    let declared = response.content_length().unwrap_or(0);
    if declared > limit as u64 {
        return Err(too_large());
    }
    // Declared is at most `limit` here, so the capacity is bounded too.
    let mut body = Vec::with_capacity(declared as usize);
    while let Some(chunk) = response.chunk().await.map_err(SyncError::network)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// TLS goes through rustls with the `ring` provider, installed once for the whole process.
pub fn install_tls_provider() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        // Err only means another provider was installed first, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

//! `mpp-central dashboard rebuild`: the dashboard's per-day tallies summed afresh from every
//! ticket (the server keeps them up to date itself; after `copy-to-postgres`, or if in doubt).

use crate::config::CentralConfig;
use crate::storage::error::DbError;
use crate::storage::open::open;

/// Rebuilds the tallies of each MPP in `ids`: how many tallies each has now.
pub fn rebuild(config: &CentralConfig, ids: &[String]) -> Result<Vec<(String, usize)>, DbError> {
    let (mut writers, _) = open(&config.location(), 1, 0)?;
    let Some(mut database) = writers.pop() else {
        return Ok(Vec::new());
    };
    ids.iter()
        .map(|id| {
            let tallies = crate::storage::rebuild_tallies(database.as_mut(), id)?;
            Ok((id.clone(), tallies))
        })
        .collect()
}

//! A period's figures from its summed tallies: per service, per counter point, the whole
//! MPP, and tickets per hour of the day in the MPP's time.

use std::collections::BTreeMap;

use crate::rules::dashboard::{Figure, percentile};

/// Tallies of a period summed per service, point, figure and bucket (as storage reads them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodRow {
    pub queue: String,
    pub point: String,
    pub figure: Figure,
    pub bucket: i64,
    pub count: u64,
}

/// The figures of some tickets (a service's, a point's, an agency's, all).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub issued: u64,
    pub voided: u64,
    pub transferred: u64,
    pub called: u64,
    pub served: u64,
    pub no_show: u64,
    /// Minutes from issue to first call (bucketed) → tickets.
    pub waits: BTreeMap<i64, u64>,
    /// Minutes from last call to served (bucketed) → tickets.
    pub services: BTreeMap<i64, u64>,
}

impl Summary {
    fn add(&mut self, figure: Figure, bucket: i64, count: u64) {
        match figure {
            Figure::Issued => self.issued += count,
            Figure::IssuedInHour => {}
            Figure::Voided => self.voided += count,
            Figure::Transferred => self.transferred += count,
            Figure::Called => self.called += count,
            Figure::Served => self.served += count,
            Figure::NoShow => self.no_show += count,
            Figure::Wait => *self.waits.entry(bucket).or_default() += count,
            Figure::Service => *self.services.entry(bucket).or_default() += count,
        }
    }

    /// Adds `other`'s tickets to these.
    pub fn merge(&mut self, other: &Summary) {
        self.issued += other.issued;
        self.voided += other.voided;
        self.transferred += other.transferred;
        self.called += other.called;
        self.served += other.served;
        self.no_show += other.no_show;
        for (bucket, count) in &other.waits {
            *self.waits.entry(*bucket).or_default() += count;
        }
        for (bucket, count) in &other.services {
            *self.services.entry(*bucket).or_default() += count;
        }
    }

    pub fn wait_median(&self) -> Option<i64> {
        percentile(&self.waits, 50)
    }

    pub fn wait_p90(&self) -> Option<i64> {
        percentile(&self.waits, 90)
    }

    pub fn service_median(&self) -> Option<i64> {
        percentile(&self.services, 50)
    }

    pub fn service_p90(&self) -> Option<i64> {
        percentile(&self.services, 90)
    }

    /// Served among the tickets issued and not voided, in percent to one decimal (×10);
    /// `None` with none.
    pub fn served_permille(&self) -> Option<u64> {
        let kept = self.issued.saturating_sub(self.voided);
        (kept > 0).then(|| (self.served * 1000 + kept / 2) / kept)
    }
}

/// A period's figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Period {
    pub total: Summary,
    /// By the service (queue code) tickets were issued for.
    pub by_queue: BTreeMap<String, Summary>,
    /// By the point that last had the tickets (those never at a counter are in no point).
    pub by_point: BTreeMap<String, Summary>,
    /// Tickets issued per hour of the day, in the MPP's time (index 0 = 00:00–00:59).
    pub hours: [u64; 24],
}

impl Period {
    /// The busiest hours of the day, most tickets first (ties: the earlier hour), at most
    /// `count`, none without tickets.
    pub fn busiest_hours(&self, count: usize) -> Vec<(usize, u64)> {
        let mut hours: Vec<(usize, u64)> = (self.hours.iter().copied().enumerate())
            .filter(|(_, tickets)| *tickets > 0)
            .collect();
        hours.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        hours.truncate(count);
        hours
    }

    /// The figures of each group of services (e.g. agencies): `group_of` names a service's
    /// group; services without one are left out.
    pub fn grouped(&self, group_of: impl Fn(&str) -> Option<String>) -> BTreeMap<String, Summary> {
        let mut groups: BTreeMap<String, Summary> = BTreeMap::new();
        for (queue, summary) in &self.by_queue {
            if let Some(group) = group_of(queue) {
                groups.entry(group).or_default().merge(summary);
            }
        }
        groups
    }
}

/// The period's figures from its rows; hours shifted by the MPP's `hours_east` of UTC.
pub fn figures(rows: &[PeriodRow], hours_east: i32) -> Period {
    let mut period = Period::default();
    for row in rows {
        if row.figure == Figure::IssuedInHour {
            let local = (row.bucket + i64::from(hours_east)).rem_euclid(24);
            period.hours[local as usize] += row.count;
            continue;
        }
        period.total.add(row.figure, row.bucket, row.count);
        let queue = period.by_queue.entry(row.queue.clone()).or_default();
        queue.add(row.figure, row.bucket, row.count);
        if !row.point.is_empty() {
            let point = period.by_point.entry(row.point.clone()).or_default();
            point.add(row.figure, row.bucket, row.count);
        }
    }
    period
}

use super::*;

fn account(name: &str, role: Role, mpp: Option<&str>) -> Account {
    Account {
        name: name.into(),
        role,
        mpp: mpp.map(Into::into),
        points: if role == Role::Counter {
            vec!["Loket 1".into()]
        } else {
            Vec::new()
        },
        disabled_at: None,
    }
}

#[test]
fn each_role_reads_and_runs_only_its_mpps() {
    let admin = account("root", Role::Admin, None);
    let province = account("jateng", Role::Province, None);
    let head = account("kepala.blora", Role::Head, Some("blora"));
    let clerk = account("sari", Role::Counter, Some("blora"));
    for mpp in ["blora", "kudus"] {
        assert!(admin.reads(mpp) && admin.runs(mpp), "{mpp}");
        assert!(province.reads(mpp) && !province.runs(mpp), "{mpp}");
        assert!(!clerk.reads(mpp) && !clerk.runs(mpp), "{mpp}");
    }
    assert!(head.reads("blora") && head.runs("blora"));
    assert!(!head.reads("kudus") && !head.runs("kudus"));
    assert!(clerk.works("blora", "Loket 1"));
    assert!(!clerk.works("blora", "Loket 2") && !clerk.works("kudus", "Loket 1"));
    assert!(
        !head.works("blora", "Loket 1"),
        "a head does not call visitors"
    );
}

#[test]
fn heads_manage_their_own_counter_staff_and_the_admin_everyone_else() {
    let admin = account("root", Role::Admin, None);
    let head = account("kepala.blora", Role::Head, Some("blora"));
    let other_head = account("kepala.kudus", Role::Head, Some("kudus"));
    let clerk = account("sari", Role::Counter, Some("blora"));
    let far_clerk = account("budi", Role::Counter, Some("kudus"));
    assert!(head.manages(&clerk));
    assert!(!head.manages(&far_clerk) && !head.manages(&other_head) && !head.manages(&admin));
    assert!(admin.manages(&head) && admin.manages(&far_clerk));
    assert!(
        !admin.manages(&admin),
        "not itself: no locking the server out"
    );
    let province = account("jateng", Role::Province, None);
    assert!(!province.manages(&clerk) && !clerk.manages(&clerk));
}

#[test]
fn roles_read_back_from_their_codes() {
    for role in Role::ALL {
        assert_eq!(Role::from_code(role.code()), Some(role));
        let (indonesian, english) = role.label();
        assert_ne!(indonesian, english);
    }
    assert_eq!(Role::from_code("Head"), None);
    assert!(Role::Head.has_mpp() && Role::Counter.has_mpp());
    assert!(!Role::Admin.has_mpp() && !Role::Province.has_mpp());
}

#[test]
fn names_are_short_and_plain() {
    for good in ["sari", "kepala.blora", "loket-3_pagi", "9budi"] {
        assert_eq!(name_problem(good), None, "{good}");
    }
    assert_eq!(name_problem(""), Some(NameProblem::Length));
    assert_eq!(name_problem(&"a".repeat(65)), Some(NameProblem::Length));
    for bad in ["Sari", "sari budi", ".sari", "sari\0", "sári", "<b>"] {
        assert_eq!(name_problem(bad), Some(NameProblem::Characters), "{bad:?}");
    }
}

#[test]
fn weak_passwords_are_refused_with_the_reason() {
    assert_eq!(password_problem("sari", "kuda-lari-7"), None);
    assert_eq!(
        password_problem("sari", "pendek"),
        Some(PasswordProblem::Short(6))
    );
    assert_eq!(
        password_problem("sari", &"ab3$Z".repeat(60)),
        Some(PasswordProblem::Long)
    );
    assert_eq!(
        password_problem("sari", "kuda\0lari-7"),
        Some(PasswordProblem::Control)
    );
    assert_eq!(
        password_problem("sari", "Sari-blora-2026"),
        Some(PasswordProblem::HasName)
    );
    assert_eq!(
        password_problem("sari", "aaaabbbbcccc"),
        Some(PasswordProblem::Repetitive)
    );
    for common in ["Password2026!", "bismillah123", "1234567890"] {
        assert_eq!(
            password_problem("sari", common),
            Some(PasswordProblem::Common),
            "{common}"
        );
    }
}

#[test]
fn sessions_end_when_idle_or_old_and_are_touched_once_a_minute() {
    let limits = SessionLimits {
        idle: TimeDelta::hours(2),
        absolute: TimeDelta::hours(12),
    };
    let start: DateTime<Utc> = "2026-12-07T01:00:00Z".parse().expect("instant");
    let at = |minutes| start + TimeDelta::minutes(minutes);
    assert_eq!(
        session_state(limits, start, start, at(0)),
        SessionState::Open
    );
    assert_eq!(
        session_state(limits, start, start, at(1)),
        SessionState::Touch
    );
    assert_eq!(
        session_state(limits, start, at(60), at(60)),
        SessionState::Open
    );
    assert_eq!(
        session_state(limits, start, start, at(119)),
        SessionState::Touch
    );
    assert_eq!(
        session_state(limits, start, start, at(120)),
        SessionState::Ended
    );
    assert_eq!(
        session_state(limits, start, at(700), at(719)),
        SessionState::Touch
    );
    assert_eq!(
        session_state(limits, start, at(719), at(720)),
        SessionState::Ended
    );
    assert_eq!(
        session_state(limits, start, start, at(-10)),
        SessionState::Ended,
        "a clock far behind the session's start"
    );
}

fn config(text: &str) -> CentralConfig {
    crate::config::Loaded::parse(
        text,
        std::path::Path::new("c.toml"),
        std::path::Path::new("/base"),
    )
    .expect("valid")
    .config
}

const PHC: &str = crate::rules::passwords::DECOY;

fn with_account(account: &str) -> String {
    format!(
        "[[counter]]\nname = \"Loket 1-2\"\ntoken_sha256 = \"{}\"\n\
         points = [\"Loket 1\", \"Loket 2\"]\nqueues = [\"DKC\"]\n\
         [[account]]\n{account}\npassword_argon2 = \"{PHC}\"\n",
        crate::hash_hex("a-counter-token-0001")
    )
}

#[test]
fn configured_accounts_are_checked_field_by_field() {
    let good = config(&with_account(
        "name = \"sari\"\nrole = \"counter\"\npoints = [\"Loket 2\"]",
    ));
    let found = seeds(&good).expect("valid");
    assert_eq!(found.len(), 1);
    let (account, phc) = &found[0];
    assert_eq!(account.mpp.as_deref(), Some("default"), "the one MPP");
    assert_eq!(account.points, ["Loket 2"]);
    assert_eq!(phc, PHC);
    for (entry, key, words) in [
        (
            "name = \"Sari\"\nrole = \"head\"",
            "account[0].name",
            "lowercase",
        ),
        (
            "name = \"sari\"\nrole = \"boss\"",
            "account[0].role",
            "\"boss\"",
        ),
        (
            "name = \"sari\"\nrole = \"admin\"\nmpp = \"default\"",
            "account[0].mpp",
            "left out",
        ),
        (
            "name = \"sari\"\nrole = \"head\"\nmpp = \"kudus\"",
            "account[0].mpp",
            "no [[mpp]]",
        ),
        (
            "name = \"sari\"\nrole = \"counter\"",
            "account[0].points",
            "must list",
        ),
        (
            "name = \"sari\"\nrole = \"counter\"\npoints = [\"Loket 9\"]",
            "account[0].points",
            "\"Loket 9\"",
        ),
        (
            "name = \"sari\"\nrole = \"head\"\npoints = [\"Loket 1\"]",
            "account[0].points",
            "only counter",
        ),
    ] {
        let (found, problem) = seeds(&config(&with_account(entry))).expect_err(entry);
        assert_eq!(found, key, "{entry}: {problem}");
        assert!(problem.contains(words), "{entry}: {problem}");
    }
    let plain = with_account("name = \"sari\"\nrole = \"head\"").replace(PHC, "plain-password");
    let (key, _) = seeds(&config(&plain)).expect_err("not a hash");
    assert_eq!(key, "account[0].password_argon2");
    let twice = format!(
        "{}[[account]]\nname = \"sari\"\nrole = \"admin\"\npassword_argon2 = \"{PHC}\"\n",
        with_account("name = \"sari\"\nrole = \"head\"")
    );
    assert_eq!(
        seeds(&config(&twice)).expect_err("twice").0,
        "account[1].name"
    );
}

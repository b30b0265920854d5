pub fn blocking_get<T: serde::de::DeserializeOwned>(url: &str) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        mpp_testkit::central::client()
            .get(url)
            .header("Authorization", format!("Bearer {}", super::TOKEN))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json")
    })
}

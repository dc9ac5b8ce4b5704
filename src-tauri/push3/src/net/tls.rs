//! The one rustls configuration of every connection: the OS trust store through the platform
//! verifier (on Linux the system roots, or `SSL_CERT_FILE`/`SSL_CERT_DIR` when set; the
//! keychain on macOS, the certificate store on Windows), so a company's inspecting proxy that the
//! OS trusts is trusted here too, and nothing else is.

use rustls::crypto::CryptoProvider;
use std::sync::Arc;

/// A client config with the platform verifier, speaking HTTP/1.1 (the websocket upgrade needs it,
/// and the API needs nothing newer).
pub fn client_config() -> Result<rustls::ClientConfig, String> {
    // Explicit rather than the process default: two providers are linked (aws-lc-rs by reqwest,
    // ring by a desktop plugin), and with two rustls picks no default.
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
        .map_err(|e| format!("the OS trust store could not be read: {e}"))?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider as Arc<CryptoProvider>)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

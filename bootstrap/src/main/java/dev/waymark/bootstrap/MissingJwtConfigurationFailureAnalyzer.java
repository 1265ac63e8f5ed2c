package dev.waymark.bootstrap;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a refused start for want of a JWT secret, instead of a stack trace. */
class MissingJwtConfigurationFailureAnalyzer
    extends AbstractFailureAnalyzer<MissingJwtConfigurationException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure,
      MissingJwtConfigurationException cause) {
    return new FailureAnalysis(cause.getMessage(),
        "Export WAYMARK_SECURITY_JWT_HMAC_SECRET=<32+ random bytes>, e.g. $(openssl rand -base64"
            + " 48), or configure an identity provider's issuer-uri. Or unset spring.r2dbc.url to"
            + " run the embedded default with demo tokens.",
        cause);
  }
}

package dev.waymark.adapters.web;

import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * Bearer-token security: devices need scope {@code locations:write} for the uploads, operators
 * scope {@code admin} for {@code /api/v1/admin}; health, metrics and the API docs are open.
 * Stateless: no session, no CSRF token (no cookies are ever honoured).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

  static final String WRITE_SCOPE = "SCOPE_locations:write";
  static final String ADMIN_SCOPE = "SCOPE_admin";

  @Bean
  SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, ProblemSecurityHandlers handlers) {
    return http
        .csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .authorizeExchange(exchanges -> exchanges
            .pathMatchers(HttpMethod.POST, "/api/v1/locations", "/api/v1/locations/batch")
            .hasAuthority(WRITE_SCOPE)
            .pathMatchers("/api/v1/admin/**").hasAuthority(ADMIN_SCOPE)
            .pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**",
                "/webjars/**")
            .permitAll()
            .anyExchange().authenticated())
        .oauth2ResourceServer(server -> server
            .jwt(jwt -> { })
            .authenticationEntryPoint(handlers)
            .accessDeniedHandler(handlers))
        .exceptionHandling(handling -> handling
            .authenticationEntryPoint(handlers)
            .accessDeniedHandler(handlers))
        .build();
  }

  /**
   * HS256 verification with the configured secret, remembering verified tokens for up to five
   * minutes (never past their expiry). Without one, Boot's resource-server
   * configuration ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or
   * {@code jwk-set-uri}) provides the decoder instead.
   */
  @Bean
  @ConditionalOnProperty("waymark.security.jwt.hmac-secret")
  ReactiveJwtDecoder hmacJwtDecoder(JwtProperties properties, java.time.Clock clock) {
    byte[] secret = properties.hmacSecret().getBytes(StandardCharsets.UTF_8);
    if (secret.length < JwtProperties.MIN_SECRET_BYTES) {
      throw new IllegalStateException("waymark.security.jwt.hmac-secret must be at least "
          + JwtProperties.MIN_SECRET_BYTES + " bytes, it has " + secret.length);
    }
    return new CachingJwtDecoder(NimbusReactiveJwtDecoder
        .withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
        .macAlgorithm(MacAlgorithm.HS256)
        .build(), clock);
  }
}

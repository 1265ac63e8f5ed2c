package dev.waymark.adapters.web;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Answers 401 and 403 as problem+json, with the RFC 6750 {@code WWW-Authenticate} challenge. */
@Component
class ProblemSecurityHandlers implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

  private final ProblemWriter problems;

  ProblemSecurityHandlers(ProblemWriter problems) {
    this.problems = problems;
  }

  @Override
  public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
    boolean badToken = failure instanceof OAuth2AuthenticationException;
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.WWW_AUTHENTICATE,
        badToken ? "Bearer error=\"invalid_token\"" : "Bearer");
    String detail = badToken
        ? "The bearer token was refused: " + failure.getMessage()
        : "A bearer token is required.";
    return problems.write(exchange.getResponse(),
        new ApiProblem(ProblemType.UNAUTHORIZED, detail, List.of(), Map.of(), headers));
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
    return problems.write(exchange.getResponse(), new ApiProblem(ProblemType.FORBIDDEN,
        "The bearer token lacks the scope this endpoint needs.", List.of(), Map.of(), headers));
  }
}

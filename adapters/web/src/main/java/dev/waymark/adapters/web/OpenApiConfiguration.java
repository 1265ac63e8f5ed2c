package dev.waymark.adapters.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/** Describes the API for the OpenAPI document at /v3/api-docs and its UI. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Waymark", version = "v1",
    description = "Idempotent location uploads for mobile apps. See docs/ for the contract."))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
    bearerFormat = "JWT")
class OpenApiConfiguration {}

package dev.waymark.adapters.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the web adapter's configuration properties. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({JwtProperties.class, UploadProperties.class})
class WebAdapterConfiguration {}

package dev.waymark.bootstrap;

import dev.waymark.adapters.web.UploadProperties;
import dev.waymark.application.port.ReceiptEncoder;
import dev.waymark.application.port.UnitOfWork;
import dev.waymark.application.upload.UploadLocationsService;
import dev.waymark.application.upload.UploadLocationsUseCase;
import dev.waymark.domain.idempotency.IdempotencyPolicy;
import dev.waymark.domain.location.LocationRules;
import dev.waymark.domain.port.AtomicKeyedUpload;
import dev.waymark.domain.port.IdempotencyKeyStore;
import dev.waymark.domain.port.LocationRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the domain objects and use cases from the adapters the context provides. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdempotencyProperties.class)
class UseCaseConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  IdempotencyPolicy idempotencyPolicy() {
    return new IdempotencyPolicy();
  }

  @Bean
  LocationRules locationRules(UploadProperties upload) {
    return new LocationRules(upload.maxClockSkew());
  }

  @Bean
  UploadLocationsUseCase uploadLocationsUseCase(
      IdempotencyKeyStore keyStore,
      LocationRepository locations,
      UnitOfWork unitOfWork,
      ReceiptEncoder encoder,
      IdempotencyPolicy policy,
      IdempotencyProperties idempotency,
      Clock clock,
      MeterRegistry meters,
      ObjectProvider<AtomicKeyedUpload> atomicUpload) {
    // The one-step keyed upload exists only where keys live beside the locations (PostgreSQL).
    var service = new UploadLocationsService(keyStore, locations, unitOfWork, encoder, policy,
        idempotency.toSettings(), clock, Optional.ofNullable(atomicUpload.getIfAvailable()));
    return new MeteredUploadLocationsUseCase(service, meters);
  }
}

package dev.waymark.bootstrap;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Waymark service. Component scanning covers only bootstrap and the adapters; the use cases
 * and domain objects are built by explicit {@code @Bean} methods ({@link UseCaseConfiguration}).
 */
@SpringBootApplication(scanBasePackages = {"dev.waymark.bootstrap", "dev.waymark.adapters"})
public class WaymarkApplication {

  public static void main(String[] args) {
    SpringApplication.run(WaymarkApplication.class, args);
  }
}

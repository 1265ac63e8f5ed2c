package dev.waymark.bootstrap;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JDBC DataSource beside R2DBC, for the work that has no reactive driver: Flyway
 * migrations now, Spring Batch's job repository later. Boot's own DataSource auto-configuration
 * backs off whenever an R2DBC ConnectionFactory exists, so it is declared here from the standard
 * {@code spring.datasource.*} properties. It never serves the request path.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DataSourceProperties.class)
class JdbcConfiguration {

  @Bean
  @ConditionalOnMissingBean(javax.sql.DataSource.class)
  @ConfigurationProperties("spring.datasource.hikari")
  HikariDataSource dataSource(DataSourceProperties properties) {
    HikariDataSource dataSource =
        properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    dataSource.setPoolName("waymark-jdbc");
    return dataSource;
  }
}

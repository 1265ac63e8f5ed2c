package dev.waymark.adapters.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.application.upload.UploadKind;
import dev.waymark.application.upload.UploadReceipt;
import dev.waymark.domain.location.FieldError;
import dev.waymark.domain.location.RejectedItem;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The response template the database fills in (one-statement keyed upload) writes exactly the
 * bytes the encoder writes, for any counts and any rejected items.
 */
class JsonReceiptEncoderPropertyTest {

  final JsonReceiptEncoder encoder = new JsonReceiptEncoder();

  @Property(tries = 1000)
  void theFilledTemplateIsTheEncodedReceiptByteForByte(
      @ForAll UploadKind kind,
      @ForAll @IntRange(min = 0, max = 1_000_000) int stored,
      @ForAll @IntRange(min = 0, max = 1_000_000) int duplicates,
      @ForAll("rejected") List<RejectedItem> rejected) {
    List<RejectedItem> items = kind == UploadKind.SINGLE ? List.of() : rejected;
    assertThat(encoder.template(kind, items).fill(stored, duplicates))
        .isEqualTo(encoder.encode(new UploadReceipt(kind, stored, duplicates, items)));
  }

  @Provide
  Arbitrary<List<RejectedItem>> rejected() {
    Arbitrary<FieldError> errors = Combinators.combine(
        Arbitraries.of("latitude", "id", "timestamp", "item", "batteryLevel"),
        Arbitraries.strings().all().ofMaxLength(40)).as(FieldError::new);
    return Combinators.combine(Arbitraries.integers().between(0, 999),
            errors.list().ofMinSize(1).ofMaxSize(3))
        .as(RejectedItem::new).list().ofMaxSize(5);
  }
}

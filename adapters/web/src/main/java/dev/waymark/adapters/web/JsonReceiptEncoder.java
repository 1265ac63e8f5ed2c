package dev.waymark.adapters.web;

import dev.waymark.application.port.ReceiptEncoder;
import dev.waymark.application.upload.UploadKind;
import dev.waymark.application.upload.UploadReceipt;
import dev.waymark.domain.idempotency.ResponseTemplate;
import dev.waymark.domain.idempotency.StoredResponse;
import dev.waymark.domain.location.RejectedItem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Encodes upload receipts as the contract's JSON bodies; these exact bytes are also replayed. */
@Component
class JsonReceiptEncoder implements ReceiptEncoder {

  private final JsonMapper json = JsonMapper.builder().build();

  record SingleBody(int processedCount, int duplicateCount) {}

  record RejectedBody(int index, List<ProblemWriter.FieldErrorBody> errors) {}

  record BatchBody(int processedCount, int duplicateCount, List<RejectedBody> rejected) {}

  @Override
  public StoredResponse encode(UploadReceipt receipt) {
    Object body = receipt.kind() == UploadKind.SINGLE
        ? new SingleBody(receipt.processedCount(), receipt.duplicateCount())
        : new BatchBody(receipt.processedCount(), receipt.duplicateCount(),
            receipt.rejected().stream()
                .map(item -> new RejectedBody(item.index(), ProblemWriter.errors(item.errors())))
                .toList());
    return new StoredResponse(200, MediaType.APPLICATION_JSON_VALUE, json.writeValueAsBytes(body));
  }

  /**
   * The bodies above with the counts left open. They are Jackson's compact output of the
   * records (members in declaration order, no whitespace), so the parts around the counts are
   * constant and the rejected list is written by the same mapper.
   */
  @Override
  public ResponseTemplate template(UploadKind kind, List<RejectedItem> rejected) {
    byte[] tail = "}".getBytes(StandardCharsets.UTF_8);
    if (kind != UploadKind.BATCH) {
      return template(tail);
    }
    // The same mapper writes the list as it does inside the body, bytes included (a lone
    // surrogate in a message is written the same way).
    byte[] list = json.writeValueAsBytes(rejected.stream()
        .map(item -> new RejectedBody(item.index(), ProblemWriter.errors(item.errors())))
        .toList());
    ByteArrayOutputStream batchTail = new ByteArrayOutputStream();
    batchTail.writeBytes(",\"rejected\":".getBytes(StandardCharsets.UTF_8));
    batchTail.writeBytes(list);
    batchTail.writeBytes(tail);
    return template(batchTail.toByteArray());
  }

  private static ResponseTemplate template(byte[] tail) {
    return new ResponseTemplate(200, MediaType.APPLICATION_JSON_VALUE,
        "{\"processedCount\":".getBytes(StandardCharsets.UTF_8),
        ",\"duplicateCount\":".getBytes(StandardCharsets.UTF_8),
        tail);
  }
}

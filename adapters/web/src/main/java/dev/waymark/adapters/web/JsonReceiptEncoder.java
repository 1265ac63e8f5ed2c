package dev.waymark.adapters.web;

import dev.waymark.application.port.ReceiptEncoder;
import dev.waymark.application.upload.UploadKind;
import dev.waymark.application.upload.UploadReceipt;
import dev.waymark.domain.idempotency.StoredResponse;
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
}

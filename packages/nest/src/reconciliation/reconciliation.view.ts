import { ApiProperty } from '@nestjs/swagger';
import { InvoiceView } from '../invoices/invoice.view.js';

/** `POST /v1/invoices/:id/reconcile`: the invoice after reconciliation, and what the provider's records changed. */
export class ReconciliationView {
  @ApiProperty({ type: InvoiceView })
  readonly invoice!: InvoiceView;

  @ApiProperty({ description: "How many of the provider's observations changed the invoice (0: the callbacks had brought everything).", example: 1 })
  readonly changed!: number;

  @ApiProperty({ description: 'How many payment observations the provider reported.', example: 1 })
  readonly observed!: number;
}

import { type InvoiceStatusEvent } from '@cryptopay/invoice';
import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

/** Where the platform reacts to payments: here it only logs; a real app would release the order. */
@Injectable()
export class Fulfilment {
  private readonly logger = new Logger(Fulfilment.name);

  @OnEvent('invoice.settled')
  settled(event: InvoiceStatusEvent): void {
    this.logger.log(`invoice ${event.invoiceId} settled: release its order`);
  }
}

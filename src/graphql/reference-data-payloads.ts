import { Customer } from '../entities/customer.entity';
import { Order } from '../entities/order.entity';
import { Product } from '../entities/product.entity';
import { Seller } from '../entities/seller.entity';
import { PayloadType } from './payload.type';

export const UpsertCustomerPayload = PayloadType('UpsertCustomerPayload', 'customer', () => Customer);
export const UpsertSellerPayload = PayloadType('UpsertSellerPayload', 'seller', () => Seller);
export const UpsertProductPayload = PayloadType('UpsertProductPayload', 'product', () => Product);
export const RecordOrderPayload = PayloadType('RecordOrderPayload', 'order', () => Order);

// The errors Shiplog expects, each mapped to one HTTP status by the routes.
export class AppError extends Error {
  readonly status: number = 500;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadInput extends AppError {
  override readonly status = 400;
}
export class Unauthorized extends AppError {
  override readonly status = 401;
}
export class Forbidden extends AppError {
  override readonly status = 403;
}
export class NotFound extends AppError {
  override readonly status = 404;
}
export class Conflict extends AppError {
  override readonly status = 409;
}
export class PayloadTooLarge extends AppError {
  override readonly status = 413;
}
export class UnsupportedMediaType extends AppError {
  override readonly status = 415;
}
export class TooManyRequests extends AppError {
  override readonly status = 429;
}
export class Upstream extends AppError {
  override readonly status = 502;
}

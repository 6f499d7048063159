export * from './form-rules';
export * from './registration-form';
export { registrationFormSchema, type RegistrationFormShape } from './registration-form.schema';
export { formatPath, ROOT_PATH } from './schema/field-path';
export * from './validate-form';
export * from './domicile-province';
export { subjectNumberCheck, type SubjectNumberCheck } from './subject-number';

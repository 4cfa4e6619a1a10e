# set_stack_pointer(top): gives a worker instance its own stack (threaded build only). Every instance of the module
# starts with __stack_pointer at the top of the one stack lld laid out; a worker must move to a block of its own
# before it calls anything that uses the stack. C cannot name the global, hence these few lines of assembly.
	.globaltype __stack_pointer, i32
	.globl set_stack_pointer
	.export_name set_stack_pointer, set_stack_pointer
	.type set_stack_pointer,@function
set_stack_pointer:
	.functype set_stack_pointer (i32) -> ()
	local.get 0
	global.set __stack_pointer
	end_function
